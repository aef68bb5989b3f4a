//! The report's panels: waste (dive's numbers and layerlab's reclaimable bytes), insights
//! (packages, findings, problems) and the diff of two images. Long lists are cut to
//! [`LIST_ROWS`] rows with the rest counted.

use std::rc::Rc;

use yew::prelude::*;

use super::format;
use super::protocol::{DiffTotals, DiffView, FileDiffView, ReportView};

pub const LIST_ROWS: usize = 200;

fn more(total: usize) -> Html {
    if total > LIST_ROWS {
        html! { <p class="empty">{ format!("… and {} more", total - LIST_ROWS) }</p> }
    } else {
        html! {}
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Rc<ReportView>,
}

#[component]
pub fn WastePanel(props: &ReportProps) -> Html {
    let report = &props.report;
    let dive = &report.dive;
    html! {
        <section class="panel waste" data-testid="waste" aria-label="Waste">
            <h2 class="panel-title">{ "Waste" }</h2>
            <dl class="figures">
                <dt>{ "Efficiency (dive)" }</dt>
                <dd data-testid="dive-efficiency" data-value={dive.efficiency.to_string()}>
                    { format!("{:.4} ({})", dive.efficiency, format::percent(dive.efficiency)) }
                </dd>
                <dt>{ "Wasted bytes (dive)" }</dt>
                <dd data-testid="dive-wasted">{ format::bytes(dive.wasted_bytes) }{ format!(" ({:.0} B)", dive.wasted_bytes) }</dd>
                <dt>{ "User wasted (dive)" }</dt>
                <dd>{ dive.user_wasted_percent.map_or_else(|| "— (one layer)".to_owned(), format::percent) }</dd>
                <dt>{ "Reclaimable by squashing" }</dt>
                <dd data-testid="reclaimable">{ format::bytes(report.reclaimable_bytes) }{ format!(" ({:.0} B)", report.reclaimable_bytes) }</dd>
                <dt>{ "Visible files" }</dt>
                <dd>{ format!("{} files, {}", report.merged.files, format::bytes(report.merged.bytes)) }</dd>
            </dl>
            <h3>{ "Top offenders" }</h3>
            if report.waste_top.is_empty() {
                <p class="empty ok">{ "Nothing shipped is hidden by a later layer." }</p>
            }
            <ol class="rows">
                { for report.waste_top.iter().map(|waste| html! {
                    <li class="waste-row" data-testid="waste-row">
                        <span class="file-size">{ format::bytes(waste.bytes) }</span>
                        <span class="file-name">{ waste.path.clone() }</span>
                        <span class="where">{ format!("{} hidden version(s)", waste.versions) }</span>
                    </li>
                }) }
            </ol>
            if !dive.inefficiencies.is_empty() {
                <h3>{ "Paths in several layers (dive)" }</h3>
                <ol class="rows">
                    { for dive.inefficiencies.iter().map(|item| html! {
                        <li>
                            <span class="file-size">{ format::bytes(item.cumulative_size) }</span>
                            <span class="file-name">{ item.path.clone() }</span>
                            <span class="where">{ format!("{} layers", item.count) }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}

#[component]
pub fn InsightsPanel(props: &ReportProps) -> Html {
    let report = &props.report;
    html! {
        <section class="panel insights" data-testid="insights" aria-label="Insights">
            <h2 class="panel-title">{ "Findings" }<span class="count">{ report.findings.len() }</span></h2>
            if report.findings.is_empty() {
                <p class="empty ok">{ "No secrets, setuid files or capabilities found." }</p>
            }
            <ul class="rows">
                { for report.findings.iter().take(LIST_ROWS).map(|finding| html! {
                    <li data-testid="finding" data-kind={finding.kind.clone()} class="finding">
                        <span class="severity">{ finding.kind.clone() }</span>
                        <span class="file-name">{ finding.path.clone() }</span>
                        <span class="where">
                            { format!("layer #{}{}", finding.layer, if finding.visible { "" } else { ", deleted later but still shipped" }) }
                        </span>
                        <span class="message">{ finding.detail.clone() }</span>
                    </li>
                }) }
            </ul>
            { more(report.findings.len()) }
            <h2 class="panel-title">{ "Packages" }<span class="count">{ report.packages.len() }</span></h2>
            if report.packages.is_empty() {
                <p class="empty">{ "No package database or lock file found." }</p>
            }
            <ul class="rows">
                { for report.packages.iter().take(LIST_ROWS).map(|package| html! {
                    <li data-testid="package" class="package">
                        <span class="keyword">{ package.manager.clone() }</span>
                        <span class="file-name">{ package.name.clone() }</span>
                        <span class="summary">{ package.version.clone().unwrap_or_default() }</span>
                        <span class="where">{ format!("{} (layer #{})", package.path, package.layer) }</span>
                    </li>
                }) }
            </ul>
            { more(report.packages.len()) }
            <h2 class="panel-title">{ "Largest files" }</h2>
            <ol class="rows">
                { for report.largest_files.iter().map(|file| html! {
                    <li>
                        <span class="file-size">{ format::bytes(file.size) }</span>
                        <span class="file-name">{ file.path.clone() }</span>
                        <span class="where">{ format!("layer #{}", file.layer) }</span>
                    </li>
                }) }
            </ol>
            <h2 class="panel-title">{ "Problems" }<span class="count">{ report.problems.len() }</span></h2>
            if report.problems.is_empty() {
                <p class="empty ok">{ "Every digest checked out; the archive is well formed." }</p>
            }
            <ul class="rows">
                { for report.problems.iter().take(LIST_ROWS).map(|problem| html! {
                    <li data-testid="image-problem" class={classes!("diagnostic", problem.severity.clone())}>
                        <span class="severity">{ problem.severity.clone() }</span>
                        <span class="message">{ problem.message.clone() }</span>
                    </li>
                }) }
            </ul>
            { more(report.problems.len()) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct DiffProps {
    pub diff: Rc<(DiffView, DiffTotals)>,
    pub first: AttrValue,
    pub second: AttrValue,
}

fn diff_rows(title: &str, rows: &[FileDiffView], total: usize) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ format!("{title} ({total})") }</h3>
            <ul class="rows">
                { for rows.iter().take(LIST_ROWS).map(|row| {
                    let size = row.after.as_ref().or(row.before.as_ref()).map_or(0.0, |s| s.size);
                    html! {
                        <li data-testid="diff-row">
                            <span class="file-size">{ format::bytes(size) }</span>
                            <span class="file-name">{ row.path.clone() }</span>
                            if !row.what.is_empty() {
                                <span class="where">{ row.what.join(", ") }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            { more(total) }
        </>
    }
}

#[component]
pub fn DiffPanel(props: &DiffProps) -> Html {
    let (diff, totals) = &*props.diff;
    let changes = totals.added + totals.removed + totals.changed;
    html! {
        <section class="panel diff" data-testid="diff" aria-label="Diff">
            <h2 class="panel-title">{ "Diff" }</h2>
            <p class="facts">{ props.first.clone() }{ " → " }{ props.second.clone() }</p>
            <p data-testid="diff-summary" data-changes={changes.to_string()}>
                { format!("{changes} changes: {} added, {} removed, {} changed; {} shared layers, {} only in the first, {} only in the second; visible size {}, blobs {}",
                    totals.added, totals.removed, totals.changed, diff.shared_layers.len(),
                    diff.only_in_first.len(), diff.only_in_second.len(),
                    format::delta(diff.size_delta), format::delta(diff.compressed_delta)) }
            </p>
            { diff_rows("Added", &diff.added, totals.added) }
            { diff_rows("Removed", &diff.removed, totals.removed) }
            { diff_rows("Changed", &diff.changed, totals.changed) }
        </section>
    }
}
