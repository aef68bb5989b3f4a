//! The layer list: known from the plan before any layer is read (claimed digest, blob size,
//! the step that made it), then a progress bar per layer, then the checked digests and sizes
//! from the report. A row chooses the layer the file tree shows.

use std::rc::Rc;

use yew::prelude::*;

use super::format;
use super::protocol::{Check, PlanView, ReportView};

#[derive(Properties, PartialEq)]
pub struct LayerListProps {
    pub plan: Rc<PlanView>,
    pub report: Option<Rc<ReportView>>,
    pub progress: Vec<(f64, f64)>,
    pub selected: Option<u32>,
    pub on_select: Callback<Option<u32>>,
}

#[component]
pub fn LayerList(props: &LayerListProps) -> Html {
    let rows = props.plan.layers.iter().map(|planned| {
        let index = planned.index;
        let layer = props
            .report
            .as_ref()
            .and_then(|report| report.layers.get(index as usize));
        let (done, total) = props
            .progress
            .get(index as usize)
            .copied()
            .unwrap_or((0.0, planned.compressed_size));
        let status = layer.map_or("pending", |layer| {
            layer.verified.digest.both(layer.verified.diff_id).as_str()
        });
        let selected = props.selected == Some(index);
        let on_click = {
            let on_select = props.on_select.clone();
            Callback::from(move |_| on_select.emit(if selected { None } else { Some(index) }))
        };
        let digest = planned.digest.clone().unwrap_or_default();
        html! {
            <li data-testid="layer-row" data-index={index.to_string()} data-digest-status={status}
                class={classes!("layer-row", selected.then_some("selected"))}>
                <button type="button" class="row layer-button" aria-pressed={selected.to_string()}
                    title="Show this layer's files" onclick={on_click}>
                    <span class="layer-index">{ format!("#{index}") }</span>
                    <span class="layer-size" title="uncompressed tar bytes / blob bytes">
                        { layer.map_or_else(
                            || format!("{} blob", format::bytes(planned.compressed_size)),
                            |l| format!("{} ({} blob)", format::bytes(l.size), format::bytes(l.compressed_size))) }
                    </span>
                    <span class={classes!("digest-status", status)} data-testid="digest-status"
                        title={layer.map(|l| format!("blob digest {}, diff_id {}",
                            l.verified.digest.as_str(), l.verified.diff_id.as_str()))}>
                        { status }
                    </span>
                    <span class="created-by">{ planned.created_by.clone().unwrap_or_else(|| "(no history)".to_owned()) }</span>
                    <span class="digest" title={digest.clone()}>{ format::short_digest(&digest) }</span>
                    if let Some(layer) = layer {
                        <span class="changes">
                            { format!("{} entries: +{} ~{} -{}", layer.entries, layer.added, layer.modified, layer.removed) }
                        </span>
                    }
                    if let Some(twin) = planned.same_as {
                        <span class="changes">{ format!("same blob as #{twin}") }</span>
                    }
                </button>
                if layer.is_none() {
                    <progress data-testid="progress" max={total.max(1.0).to_string()}
                        value={done.min(total).to_string()}
                        aria-label={format!("layer {index}: {} of {} read",
                            format::bytes(done), format::bytes(total))} />
                }
                if layer.is_some_and(|l| l.verified.digest == Check::Mismatch || l.verified.diff_id == Check::Mismatch) {
                    <p class="alert">{ "This layer's content does not match its digest: see the problems." }</p>
                }
            </li>
        }
    });
    html! {
        <section class="panel layers" data-testid="layers" aria-label="Layers">
            <h2 class="panel-title">{ "Layers" }<span class="count">{ props.plan.layers.len() }</span></h2>
            <ol class="rows">{ for rows }</ol>
            if props.plan.layers.is_empty() {
                <p class="empty">{ "This image has no layers." }</p>
            }
        </section>
    }
}
