//! The page's views, one per file. Each takes plain data and callbacks as props and
//! renders every value as text (never as HTML). Panels to come (lint rules, cache
//! simulation, image explorer) slot in beside [`outline`] and [`diagnostics`].

pub mod diagnostics;
pub mod editor;
pub mod embedded;
pub mod example_picker;
pub mod image_view_host;
pub mod outline;
pub mod panel;
pub mod playground;
pub mod report_wiring;
pub mod rule_settings;
pub mod status;
pub mod theme_toggle;
pub mod virtual_list;

use std::rc::Rc;

use crate::protocol::{LineCol, Report};

/// Something in the text a panel asks the editor to select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Whole lines, `first..=last` (1-based).
    Lines { first: u32, last: u32 },
    /// A parser range.
    Range { start: LineCol, end: LineCol },
}

/// Reports are compared by identity: each one from the worker is new, and comparing
/// thousands of entries on every keystroke's render would be waste (see `hooks::Parsed`).
pub(crate) fn same_report(a: &Option<Rc<Report>>, b: &Option<Rc<Report>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}
