//! Imports started from the web, running in the background: their progress and their result,
//! kept in memory for their user to read.

use giamngheo_app::import::FileOutcome;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// How many finished jobs are kept.
const KEEP: usize = 200;

/// A job's result. Errors and warnings are kept as they came, with the uploaded file's own name
/// in place of where it was kept, and put into words in the language of whoever reads them.
#[derive(Debug, Clone)]
pub struct Finished {
    pub outcome: FileOutcome,
    pub errors: Vec<Shown>,
    pub more_errors: usize,
    pub warnings: Vec<Shown>,
}

/// A row's error or warning and the name of its file as its user knows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub file: String,
    pub error: giamngheo_survey::RowError,
}

impl Shown {
    pub fn text(&self, lang: giamngheo_rules::Lang) -> String {
        self.error.located(&self.file, lang)
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub user_id: i64,
    pub year: i32,
    pub started: Instant,
    /// Bytes read of the households file and its size.
    pub done: u64,
    pub all: u64,
    pub finished: Option<Finished>,
}

#[derive(Debug, Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<u64, Job>>,
}

/// A job id nobody can guess (the page also checks the user).
pub fn next_id() -> u64 {
    giamngheo_app::session::random_id()
}

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Job>> {
        match self.jobs.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub fn start(&self, id: u64, user_id: i64, year: i32) {
        let mut jobs = self.lock();
        if jobs.len() >= KEEP {
            // the oldest finished ones go
            let mut done: Vec<(Instant, u64)> = jobs
                .iter()
                .filter(|(_, j)| j.finished.is_some())
                .map(|(id, j)| (j.started, *id))
                .collect();
            done.sort_unstable();
            for (_, id) in done.iter().take(jobs.len() + 1 - KEEP) {
                jobs.remove(id);
            }
        }
        jobs.insert(
            id,
            Job {
                user_id,
                year,
                started: Instant::now(),
                done: 0,
                all: 0,
                finished: None,
            },
        );
    }

    pub fn progress(&self, id: u64, done: u64, all: u64) {
        if let Some(j) = self.lock().get_mut(&id) {
            j.done = done;
            j.all = all;
        }
    }

    pub fn finish(&self, id: u64, f: Finished) {
        if let Some(j) = self.lock().get_mut(&id) {
            j.done = j.all;
            j.finished = Some(f);
        }
    }

    pub fn get(&self, id: u64) -> Option<Job> {
        self.lock().get(&id).cloned()
    }
}
