//! Whether the reader of standard output has read what was written, so
//! that a message is acknowledged only once it left the pipe for its reader.
//!
//! Flushing puts the bytes in the pipe's buffer, not in front of anyone: a
//! reader that goes away (`| head -1`) or never reads (`| sleep 12`) would
//! lose every message acknowledged on that basis. For a pipe, the bytes
//! still in it (FIONREAD) tell how far its reader has read, and `poll`
//! tells whether it went away. A message is counted as read once its last
//! byte has been taken from the pipe: what a reader does with the bytes it
//! took (`head` reads a block and prints one line of it) is beyond knowing.
//! A file or terminal has read what was written once it is flushed.

use std::io::Stdout;
use std::os::fd::AsFd;

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::fs::{fcntl_getfl, fstat, major, minor, FileType, OFlags};

use crate::output::Failure;

/// What standard output is.
pub struct Watch {
    stdout: Stdout,
    pipe: bool,
}

impl Watch {
    /// Looks at standard output. Fails when it was closed when the program
    /// started: Rust's runtime then opens `/dev/null` on it, read-write
    /// (a shell's `>/dev/null` opens it write-only, and is accepted).
    pub fn new() -> Result<Watch, Failure> {
        let stdout = std::io::stdout();
        let fd = stdout.as_fd();
        let stat = fstat(fd).map_err(|_| Failure::BrokenPipe)?;
        let file_type = FileType::from_raw_mode(stat.st_mode);
        if file_type == FileType::CharacterDevice
            && (major(stat.st_rdev), minor(stat.st_rdev)) == (1, 3)
        {
            let flags = fcntl_getfl(fd).map_err(|_| Failure::BrokenPipe)?;
            if flags & OFlags::ACCMODE == OFlags::RDWR {
                return Err(Failure::BrokenPipe);
            }
        }
        let pipe = file_type == FileType::Fifo;
        Ok(Watch { stdout, pipe })
    }

    /// Bytes written but not yet read: those still in the pipe (0 for
    /// anything else); and whether the pipe's reader went away (the bytes
    /// it took before are still counted as read).
    pub fn unread(&self) -> Result<(u64, bool), Failure> {
        if !self.pipe {
            return Ok((0, false));
        }
        let fd = self.stdout.as_fd();
        let mut fds = [PollFd::new(&fd, PollFlags::OUT)];
        let now = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        poll(&mut fds, Some(&now))
            .map_err(|e| Failure::msg(format!("cannot watch standard output: {e}")))?;
        let gone = fds[0]
            .revents()
            .intersects(PollFlags::ERR | PollFlags::HUP | PollFlags::NVAL);
        let unread = rustix::io::ioctl_fionread(fd)
            .map_err(|e| Failure::msg(format!("cannot watch standard output: {e}")))?;
        Ok((unread, gone))
    }
}
