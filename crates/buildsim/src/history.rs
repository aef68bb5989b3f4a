//! The predicted history of the final image (BuildKit's `commitToHistory`, the classic
//! builder's commits), with which layers are new.

use crate::content::StepRef;
use crate::plan::{Action, Base, LegacyCmd, Plan};
use crate::report::{HistoryEntry, Status};

/// The stages whose steps make up the target image: its FROM chain, root first.
fn chain(plan: &Plan) -> Vec<usize> {
    let mut out = Vec::new();
    let mut current = plan.target;
    while let Some(i) = current {
        if out.contains(&i) {
            break;
        }
        out.push(i);
        current = match plan.stages.get(i).map(|s| &s.base) {
            Some(Base::Stage(j)) => Some(*j),
            _ => None,
        };
    }
    out.reverse();
    out
}

fn base_entry(
    plan: &Plan,
    chain: &[usize],
    status: &dyn Fn(StepRef) -> Status,
) -> Option<HistoryEntry> {
    let root = *chain.first()?;
    let stage = plan.stages.get(root)?;
    match &stage.base {
        Base::Image(r) => Some(HistoryEntry {
            created_by: format!("(the history of {r})"),
            empty_layer: false,
            line: None,
            stage: stage.display.clone(),
            status: status((root, 0)),
            base: true,
        }),
        _ => None,
    }
}

/// BuildKit: base layers, then one entry per instruction of the chain (ONBUILD writes none).
pub(crate) fn buildkit(plan: &Plan, status: &dyn Fn(StepRef) -> Status) -> Vec<HistoryEntry> {
    let chain = chain(plan);
    let mut out: Vec<HistoryEntry> = base_entry(plan, &chain, status).into_iter().collect();
    for &si in &chain {
        let Some(stage) = plan.stages.get(si) else {
            continue;
        };
        for (i, step) in stage.steps.iter().enumerate().skip(1) {
            let Some(h) = &step.history else { continue };
            let s = status((si, i));
            out.push(HistoryEntry {
                created_by: h.created_by.clone(),
                empty_layer: h.empty_layer,
                line: Some(step.line),
                stage: stage.display.clone(),
                status: if h.empty_layer && s == Status::Skipped {
                    Status::Cached
                } else {
                    s
                },
                base: false,
            });
        }
    }
    out
}

/// The classic builder: every instruction but FROM commits; `created_by` is the Cmd.
pub(crate) fn legacy(
    plan: &Plan,
    status: &dyn Fn(StepRef) -> Status,
    cmd: &dyn Fn(StepRef) -> Option<String>,
) -> Vec<HistoryEntry> {
    let chain = chain(plan);
    let mut out: Vec<HistoryEntry> = base_entry(plan, &chain, status).into_iter().collect();
    for &si in &chain {
        let Some(stage) = plan.stages.get(si) else {
            continue;
        };
        for (i, step) in stage.steps.iter().enumerate().skip(1) {
            let created_by = match &step.legacy_cmd {
                LegacyCmd::Text(t) => t.clone(),
                LegacyCmd::Copy { .. } => cmd((si, i)).unwrap_or_default(),
            };
            let empty_layer = matches!(step.action, Action::Meta);
            out.push(HistoryEntry {
                created_by,
                empty_layer,
                line: Some(step.line),
                stage: stage.display.clone(),
                status: status((si, i)),
                base: false,
            });
        }
    }
    out
}
