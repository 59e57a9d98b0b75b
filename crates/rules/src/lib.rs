//! giamngheo's pure domain: poverty standards as data, the deprivation indicators, household
//! classification and Alkire-Foster figures. No I/O, no async, no database.

pub mod af;
pub mod classify;
pub mod codes;
pub mod messages;
pub mod person;
pub mod program;
pub mod reason;
pub mod review;
pub mod standard;
pub mod support;
pub mod target;
pub mod text;

pub use af::{percent, AlkireFoster, ClassCounts};
pub use classify::{
    age_on, Assessment, Household, IncomeBasis, IndicatorSet, InputError, Member, Recorded,
};
pub use codes::{
    Area, Class, Device, Devices, Disability, Education, Labour, Latrine, Relation, Schooling, Sex,
    Waste, WaterSource,
};
pub use person::IdNumber;
pub use reason::{ClassReason, IncomeTest};
pub use standard::{Indicator, Rule, Standard, StandardError, Standards};
pub use text::{Lang, Msg};

pub use chrono;
pub use chrono::NaiveDate;
pub use rust_decimal::Decimal;
pub mod transition;
pub mod units;
pub mod validation;
pub use transition::{transition, History, PoorStock, Transition};
pub use units::{CommuneCode, ProvinceCode, UnitCode};
