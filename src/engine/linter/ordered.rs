//! Streaming a run: the pool's threads and the calling thread check files a chunk at a time,
//! and the calling thread gets each result in path order as soon as the files before it are
//! done, with the number of files and findings held back bounded.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

impl Linter {
    /// Check `targets` on the calling thread and on `pool`'s threads (without a pool, on the
    /// calling thread alone) and give each result,
    /// finished (see [`Linter::finisher`]),
    /// to `deliver` in the targets' order, as soon as the files before it are done: a run
    /// holds the results of the files being checked and of those done ahead of an unfinished
    /// one (at most [`AHEAD`] files), never all of them. `extra` (stdin's result) is
    /// delivered among them in path order. `deliver` runs on the calling thread, which checks
    /// files only while the next results to deliver are not there. Returns the targets that
    /// could not be read, in path order.
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
        let next = AtomicUsize::new(0);
        let flow = (Mutex::new(Flow::default()), std::sync::Condvar::new());
        // The pool's threads and the calling thread check files; the calling thread also
        // delivers the results, in order, and checks more only while the next results to
        // deliver are not there. Files are taken a few at a time and their results sent
        // together: one message and one wake-up of the calling thread per chunk, not per file.
        let workers = pool.current_num_threads() + 1;
        let chunk = (targets.len() / (workers * 8)).clamp(1, CHUNK);
        let chunks = targets.len().div_ceil(chunk);
        let (sender, receiver) = std::sync::mpsc::channel::<Done>();
        let mut finisher = self.finisher(repository);
        let mut extra = extra;
        let check = |c: usize| -> (usize, Vec<Option<FileResult>>) {
            let start = c * chunk;
            let results: Vec<Option<FileResult>> = targets[start..targets.len().min(start + chunk)]
                .iter()
                .map(|target| self.check_target(target, &failures))
                .collect();
            (results.iter().flatten().map(weight).sum(), results)
        };
        pool.in_place_scope(|scope| {
            let (next, flow, check) = (&next, &flow, &check);
            scope.spawn_broadcast(move |_, _| {
                // A worker that panics outside a file's check (which is caught) says so: the
                // calling thread stops waiting for its chunk, and the scope resumes the panic.
                let worker = Worker(sender.clone());
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks || !Flow::wait_for_room(flow, c * chunk) {
                        break;
                    }
                    let (weight, results) = check(c);
                    flow.0.lock().unwrap_or_else(|e| e.into_inner()).held += weight;
                    if worker.0.send(Done::Chunk(c, weight, results)).is_err() {
                        break;
                    }
                }
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
            while at < chunks {
                // Deliver what is there, in order.
                for done in receiver.try_iter() {
                    match done {
                        Done::Chunk(c, weight, results) => waiting.insert(c, (weight, results)),
                        Done::Failed => return,
                    };
                }
                if let Some(ready) = waiting.remove(&at) {
                    give(ready, at);
                    at += 1;
                    continue;
                }
                // The next results are being checked: check a chunk here meanwhile, if one
                // is left that has room.
                if let Some(c) = Flow::claim(flow, next, chunks, chunk) {
                    let (weight, results) = check(c);
                    if c == at {
                        give((0, results), at);
                        at += 1;
                    } else {
                        flow.0.lock().unwrap_or_else(|e| e.into_inner()).held += weight;
                        waiting.insert(c, (weight, results));
                    }
                    continue;
                }
                match receiver.recv() {
                    Ok(Done::Chunk(c, weight, results)) => {
                        waiting.insert(c, (weight, results));
                    }
                    // A worker panicked (or all ended early): the scope resumes its panic.
                    Ok(Done::Failed) | Err(_) => return,
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

/// What a worker sends the calling thread: the results of a chunk (its number, their weight
/// against [`HELD`], one per file, `None` for a file that could not be read), or that the
/// worker panicked.
enum Done {
    Chunk(usize, usize, Vec<Option<FileResult>>),
    Failed,
}

/// A worker's end of the channel; says [`Done::Failed`] if the worker unwinds.
struct Worker(std::sync::mpsc::Sender<Done>);

impl Drop for Worker {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(Done::Failed);
        }
    }
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
    /// Whether the chunk starting at `start` may be checked now: it is the next to be
    /// delivered, or close enough to it with room for its results.
    fn has_room(&self, start: usize) -> bool {
        start <= self.delivered || (start < self.delivered + AHEAD && self.held <= HELD)
    }

    /// Wait until the chunk starting at `start` may be checked: it is the next to be
    /// delivered, or close enough to it with room for its results. False once the run stops.
    fn wait_for_room(flow: &(Mutex<Self>, std::sync::Condvar), start: usize) -> bool {
        let (state, wake) = flow;
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.stopped && !state.has_room(start) {
            state.sleepers += 1;
            state = wake.wait(state).unwrap_or_else(|e| e.into_inner());
            state.sleepers -= 1;
        }
        !state.stopped
    }
}

impl Flow {
    /// For the calling thread, which never waits for room (it makes it): the next chunk not
    /// yet taken, if there is one and it may be checked now.
    fn claim(
        flow: &(Mutex<Self>, std::sync::Condvar),
        next: &AtomicUsize,
        chunks: usize,
        chunk: usize,
    ) -> Option<usize> {
        let mut c = next.load(Ordering::Relaxed);
        loop {
            if c >= chunks {
                return None;
            }
            if !flow
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .has_room(c * chunk)
            {
                return None;
            }
            match next.compare_exchange(c, c + 1, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Some(c),
                Err(taken) => c = taken,
            }
        }
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
