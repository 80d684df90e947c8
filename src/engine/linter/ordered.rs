//! Streaming a run: workers check files a chunk at a time and the calling thread gets each
//! result in path order as soon as the files before it are done, with the number of files
//! and findings held back bounded.

use super::*;

impl Linter {
    /// Check `targets` on `pool` (without one, on the calling thread) and give each result,
    /// finished (see [`Linter::finisher`]),
    /// to `deliver` in the targets' order, as soon as the files before it are done: a run
    /// holds the results of the files being checked and of those done ahead of an unfinished
    /// one (at most [`AHEAD`] files), never all of them. `extra` (stdin's result) is
    /// delivered among them in path order. `deliver` runs on the calling thread. Returns the
    /// targets that could not be read, in path order.
    pub fn check_ordered(
        &self,
        pool: Option<&rayon::ThreadPool>,
        targets: &[Target],
        extra: Option<FileResult>,
        repository: Repository,
        mut deliver: impl FnMut(FileResult),
    ) -> Vec<Failure> {
        let Some(pool) = pool.filter(|_| !targets.is_empty()) else {
            // No pool (stdin alone, an editor's check): no thread to start; the files, if
            // any, are checked here in turn.
            let failures = Mutex::new(Vec::new());
            let mut finisher = self.finisher(repository);
            let mut extra = extra;
            for target in targets {
                let Some(mut file) = self.check_target(target, &failures) else {
                    continue;
                };
                if let Some(mut stdin) = extra.take_if(|e| e.path < file.path) {
                    finisher.finish(&mut stdin);
                    deliver(stdin);
                }
                finisher.finish(&mut file);
                deliver(file);
            }
            if let Some(mut stdin) = extra {
                finisher.finish(&mut stdin);
                deliver(stdin);
            }
            let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
            failures.sort();
            return failures;
        };
        let failures = Mutex::new(Vec::new());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let flow = (Mutex::new(Flow::default()), std::sync::Condvar::new());
        // Files are taken a few at a time and their results sent together: one message and
        // one wake-up of the in-order step per chunk, not per file.
        let chunk = (targets.len() / (pool.current_num_threads() * 8)).clamp(1, CHUNK);
        let (sender, receiver) =
            std::sync::mpsc::channel::<(usize, usize, Vec<Option<FileResult>>)>();
        let mut finisher = self.finisher(repository);
        let mut extra = extra;
        std::thread::scope(|scope| {
            let (failures, next, flow) = (&failures, &next, &flow);
            scope.spawn(move || {
                pool.broadcast(|_| {
                    let sender = sender.clone();
                    loop {
                        let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let start = c.saturating_mul(chunk);
                        let Some(files) = targets.get(start..targets.len().min(start + chunk))
                        else {
                            break;
                        };
                        if files.is_empty() || !Flow::wait_for_room(flow, start) {
                            break;
                        }
                        let results: Vec<Option<FileResult>> = files
                            .iter()
                            .map(|target| self.check_target(target, failures))
                            .collect();
                        let weight = results.iter().flatten().map(weight).sum();
                        flow.0.lock().unwrap_or_else(|e| e.into_inner()).held += weight;
                        if sender.send((c, weight, results)).is_err() {
                            break;
                        }
                    }
                });
                drop(sender);
            });
            // However the in-order step ends (a panic included), workers waiting for room
            // are let go, so that the run ends.
            let _stop = Stop(flow);
            let mut waiting: std::collections::BTreeMap<usize, (usize, Vec<Option<FileResult>>)> =
                std::collections::BTreeMap::new();
            let mut at = 0;
            let mut give = |(weight, results): (usize, Vec<Option<FileResult>>), at: usize| {
                for mut file in results.into_iter().flatten() {
                    if let Some(stdin) = extra.take_if(|e| e.path < file.path) {
                        let mut stdin = stdin;
                        finisher.finish(&mut stdin);
                        deliver(stdin);
                    }
                    finisher.finish(&mut file);
                    deliver(file);
                }
                let (state, wake) = flow;
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                state.delivered = (at + 1) * chunk;
                state.held = state.held.saturating_sub(weight);
                if state.sleepers > 0 {
                    wake.notify_all();
                }
            };
            for (c, weight, results) in receiver {
                waiting.insert(c, (weight, results));
                while let Some(next) = waiting.remove(&at) {
                    give(next, at);
                    at += 1;
                }
            }
        });
        if let Some(mut stdin) = extra {
            finisher.finish(&mut stdin);
            deliver(stdin);
        }
        let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
        failures.sort();
        failures
    }
}

/// How many files past the first unfinished one a run checks before it waits for it.
pub const AHEAD: usize = 1024;

/// How many findings (plus one per file) may wait, checked, for the files before them: past
/// it, workers wait before they check more, unless theirs are the next to be written. Files
/// with thousands of findings each cannot pile up while a slow one holds the others back.
pub const HELD: usize = 20_000;

/// What a result weighs against [`HELD`].
fn weight(file: &FileResult) -> usize {
    1 + file.diagnostics.len()
}

/// The state the workers and the in-order step of [`Linter::check_ordered`] share.
#[derive(Debug, Default)]
struct Flow {
    /// Files delivered so far (the start of the next chunk to deliver).
    delivered: usize,
    /// Workers waiting for room.
    sleepers: usize,
    /// The weight of the results checked and not yet delivered.
    held: usize,
    /// The in-order step ended: no more results are taken.
    stopped: bool,
}

impl Flow {
    /// Wait until the chunk starting at `start` may be checked: it is the next to be
    /// delivered, or close enough to it with room for its results. False once the run stops.
    fn wait_for_room(flow: &(Mutex<Self>, std::sync::Condvar), start: usize) -> bool {
        let (state, wake) = flow;
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.stopped
            && start > state.delivered
            && (start >= state.delivered + AHEAD || state.held > HELD)
        {
            state.sleepers += 1;
            state = wake.wait(state).unwrap_or_else(|e| e.into_inner());
            state.sleepers -= 1;
        }
        !state.stopped
    }
}

/// Stops a run's workers when dropped (see [`Flow::stopped`]).
struct Stop<'a>(&'a (Mutex<Flow>, std::sync::Condvar));

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        let (state, wake) = self.0;
        state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        wake.notify_all();
    }
}

/// The most files a worker takes at a time.
const CHUNK: usize = 16;
