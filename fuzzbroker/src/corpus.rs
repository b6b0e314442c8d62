//! The corpus and its schedule: inputs kept because they reached a new
//! response state or transition, and the choice of the next one to mutate,
//! weighted towards inputs that reach transitions the campaign has seen
//! least (AFLNet's lesson: the states a server rarely reaches are where
//! mutation finds new behaviour; picking uniformly lets the hundreds of
//! inputs that stop at the handshake drown the few that got deep).

use std::collections::BTreeMap;

use crate::model::Input;
use crate::rng::Rng;

/// A transition between two consecutive response states.
pub type Transition = (String, String);

/// At most this many entries are kept.
pub const MAX_ENTRIES: usize = 4096;

/// Candidates drawn for each pick; the one with the rarest transition wins.
const TOURNAMENT: usize = 4;

struct Entry {
    input: Input,
    transitions: Vec<Transition>,
}

/// Inputs worth mutating, and how often each transition has been seen.
#[derive(Default)]
pub struct Corpus {
    entries: Vec<Entry>,
    hits: BTreeMap<Transition, u64>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Entries kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True before the first entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Counts an execution's response states as transitions from `start`;
    /// keeps `input` when one of them is new (and there is room). True
    /// when something was new.
    pub fn observe(&mut self, input: &Input, states: &[String]) -> bool {
        let mut prev = "start".to_string();
        let mut transitions = Vec::with_capacity(states.len());
        let mut new = false;
        for st in states {
            let t = (prev, st.clone());
            let n = self.hits.entry(t.clone()).or_insert(0);
            new |= *n == 0;
            *n += 1;
            prev = st.clone();
            transitions.push(t);
        }
        if new && self.entries.len() < MAX_ENTRIES {
            self.entries.push(Entry {
                input: input.clone(),
                transitions,
            });
        }
        new
    }

    /// The next input to mutate: of a few drawn at random, the one whose
    /// rarest transition has been seen least (ties: the first drawn).
    /// `None` while the corpus is empty.
    pub fn pick(&self, rng: &mut Rng) -> Option<&Input> {
        if self.entries.is_empty() {
            return None;
        }
        let rarity = |e: &Entry| {
            e.transitions
                .iter()
                .map(|t| self.hits.get(t).copied().unwrap_or(0))
                .min()
                .unwrap_or(u64::MAX)
        };
        let mut best = rng.pick(&self.entries);
        for _ in 1..TOURNAMENT {
            let e = rng.pick(&self.entries);
            if rarity(e) < rarity(best) {
                best = e;
            }
        }
        Some(&best.input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Step;

    fn input(kind: &str) -> Input {
        Input {
            steps: vec![Step::valid(vec![1], kind, false)],
            ..Default::default()
        }
    }

    fn states(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_inputs_that_reach_something_new_are_kept() {
        let mut c = Corpus::new();
        assert!(c.observe(&input("a"), &states(&["x", "y"])));
        assert!(!c.observe(&input("b"), &states(&["x", "y"])));
        // Same states, a new order: a new transition.
        assert!(c.observe(&input("c"), &states(&["y", "x"])));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn the_input_reaching_a_rare_transition_is_picked_most() {
        let mut c = Corpus::new();
        c.observe(&input("common"), &states(&["handshake"]));
        for _ in 0..100 {
            c.observe(&input("again"), &states(&["handshake"]));
        }
        c.observe(&input("rare"), &states(&["deep"]));
        let mut rng = Rng::new(1);
        let rare = (0..1000)
            .filter(|_| c.pick(&mut rng).expect("entries").steps[0].kind == "rare")
            .count();
        // Uniform picking gives about 500; a tournament of four about 940.
        assert!(rare > 850, "{rare} of 1000");
    }

    #[test]
    fn an_empty_corpus_offers_nothing() {
        assert!(Corpus::new().pick(&mut Rng::new(1)).is_none());
    }
}
