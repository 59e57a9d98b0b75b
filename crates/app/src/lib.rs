//! giamngheo's use cases, combining the rules, the survey format and the store. The web
//! application and the command line reach the registry only through here: a [`Registry`] and
//! the handles it gives (a logged-in user's, checking scope first; the sessions'; and the
//! command line's unscoped one).

pub mod access;
pub mod accounts;
pub mod changes;
pub mod checks;
pub mod classify;
pub mod export;
pub mod import;
pub mod kobo;
pub mod models;
pub mod money;
pub mod money_demo;
pub mod odk;
pub mod registry;
pub mod report;
pub mod reviews;
pub mod session;
pub mod summary;
pub mod support;
pub mod support_demo;
pub mod survey_form;
pub mod targets;
pub mod text;

pub use registry::{
    class_reason, mask_id, Login, NewAccount, OpenSession, QueryError, Registry, Scoped, Sessions,
    Unscoped,
};

/// The registry's records as the use cases hand them out (the store defines them).
pub mod records {
    pub use giamngheo_store::{
        Anchor, AssessmentLine, AuditEntry, AuditFilter, AuditHead, Backend, CaseRow,
        CommuneSummary, Counts, HouseholdCase, HouseholdDetail, HouseholdLine, HouseholdPage,
        HouseholdQuery, MemberLine, OtherHousehold, ReviewRow, StoreError, StoreOptions, User,
        VillageFigures, COUNT_CAP, GENESIS,
    };
}
