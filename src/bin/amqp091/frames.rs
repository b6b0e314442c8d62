//! `frames`: runs the library's dissector ([`amqp091::cli::frames`]) on a
//! file or stdin.

use amqp091::cli::frames::{dissect, Dissect};

use crate::args::FramesArgs;
use crate::output::{Failure, Out};

/// Dissects the file (or stdin) onto `out`.
pub fn run(args: &FramesArgs, out: &mut Out) -> Result<(), Failure> {
    let how = Dissect {
        show_body: args.body,
        max_frame_size: args.max_frame_size,
        ..Dissect::default()
    };
    let result = match &args.file {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::msg(format!("cannot open {}: {e}", path.display())))?;
            dissect(file, &how, out)
        }
        None => dissect(std::io::stdin().lock(), &how, out),
    };
    // What was printed before a failure stays printed.
    let flushed = out.flush();
    result.and(flushed)
}
