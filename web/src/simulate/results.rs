//! What the simulation predicts: every step with its status and reason, the predicted layers
//! of the target image, the advice, and the notes about the inputs. All of it rendered as text.

use std::rc::Rc;

use yew::prelude::*;

use super::report::{CacheStatus, NoteSeverity, Simulation};
use crate::components::Selection;

#[derive(Properties)]
pub struct ResultsProps {
    pub simulation: Rc<Simulation>,
    pub on_select: Callback<Selection>,
}

impl PartialEq for ResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.simulation, &other.simulation) && self.on_select == other.on_select
    }
}

fn select_line(on_select: &Callback<Selection>, line: u32) -> Callback<MouseEvent> {
    on_select.reform(move |_: MouseEvent| Selection::Lines {
        first: line,
        last: line,
    })
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let simulation = &props.simulation;
    let summary = simulation.summary;
    let steps = simulation.steps.iter().map(|step| {
        let status = step.status.as_str();
        let tags = (!step.depends_on_tags.is_empty()).then(|| {
            format!(
                "assumes {} did not move",
                step.depends_on_tags.join(", ")
            )
        });
        html! {
            <li>
                <button type="button" class={classes!("row", "sim-step", status)}
                    data-testid="sim-step" data-status={status} data-line={step.line.to_string()}
                    onclick={select_line(&props.on_select, step.line)}>
                    <span class="sim-status">{ status }</span>{ " " }
                    <span class="where">{ format!("line {}", step.line) }</span>{ " " }
                    <span class="sim-instruction">{ step.instruction.clone() }</span>{ " " }
                    <span class="stage">{ step.stage.clone() }</span>
                    if step.trigger {
                        { " " }<span class="sim-tag">{ "ONBUILD trigger" }</span>
                    }
                    <span class="sim-reason" data-testid="sim-reason">{ step.reason.clone() }</span>
                    if let Some(tags) = tags {
                        <span class="sim-reason muted">{ tags }</span>
                    }
                    if let Some(cause) = step.cause_line {
                        <span class="sim-reason muted">{ format!("chain started at line {cause}") }</span>
                    }
                </button>
            </li>
        }
    });
    let layers = simulation.history.iter().enumerate().map(|(index, layer)| {
        let status = layer.status.as_str();
        let kind = if layer.base {
            "base image"
        } else if layer.empty_layer {
            "metadata only"
        } else {
            "layer"
        };
        html! {
            <li class={classes!("sim-layer", status)} data-testid="sim-layer" data-status={status}>
                <span class="sim-status">{ status }</span>{ " " }
                <span class="where">{ format!("#{}", index + 1) }</span>{ " " }
                <span class="sim-kind">{ kind }</span>{ " " }
                <code class="sim-created-by">{ layer.created_by.clone() }</code>
            </li>
        }
    });
    let advice = simulation.advice.iter().map(|advice| {
        html! {
            <li>
                <button type="button" class="row sim-advice" data-testid="sim-advice"
                    onclick={select_line(&props.on_select, advice.line)}>
                    <span class="where">{ format!("line {}", advice.line) }</span>{ " " }
                    <span class="message">{ advice.message.clone() }</span>{ " " }
                    <span class="code-name">{ format!("{} · {} steps", advice.code, advice.impact) }</span>
                </button>
            </li>
        }
    });
    let notes = simulation.diagnostics.iter().map(|note| {
        let severity = match note.severity {
            NoteSeverity::Error => "error",
            NoteSeverity::Warning => "warning",
            NoteSeverity::Info => "info",
        };
        html! {
            <li class={classes!("sim-note", severity)} data-testid="sim-note">
                <span class="severity">{ severity }</span>{ " " }
                if let Some(line) = note.line {
                    <span class="where">{ format!("line {line}") }</span>{ " " }
                }
                <span class="message">{ note.message.clone() }</span>
            </li>
        }
    });
    let new_layers = simulation
        .history
        .iter()
        .filter(|l| !l.base && !l.empty_layer && l.status != CacheStatus::Cached)
        .count();
    html! {
        <div class="sim-results">
            <p class="sim-summary" data-testid="sim-summary">
                { format!(
                    "{} builder, target {}: {} cached, {} rebuilt, {} may miss, {} skipped",
                    simulation.builder, simulation.target, summary.cached, summary.rebuilt,
                    summary.may_miss, summary.skipped
                ) }
                if !simulation.moving_tags.is_empty() {
                    { format!(
                        " · {} unpinned base image tag(s) may move: {}",
                        simulation.moving_tags.len(), simulation.moving_tags.join(", ")
                    ) }
                }
            </p>
            if !simulation.diagnostics.is_empty() {
                <ul class="rows sim-notes">{ for notes }</ul>
            }
            <h3 class="sim-heading">{ "Steps" }</h3>
            <ul class="rows sim-steps">{ for steps }</ul>
            <h3 class="sim-heading">
                { format!("Predicted layers of {} ({} new or maybe new)", simulation.target, new_layers) }
            </h3>
            <ol class="sim-layers">{ for layers }</ol>
            <h3 class="sim-heading">{ "Advice" }</h3>
            if simulation.advice.is_empty() {
                <p class="empty ok">{ "Nothing to improve for this change." }</p>
            } else {
                <ul class="rows">{ for advice }</ul>
            }
        </div>
    }
}
