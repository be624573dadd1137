//! Lists: a data table with a caption, sortable headers and an empty state, and a pager
//! that moves by links (so that it works before the WebAssembly has loaded, and for pages
//! addressed by a cursor as well as by a number).

use leptos::prelude::*;

/// How a column is sorted now, and where its header leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortLink {
    /// The list sorted by this column (the other way round if it is sorted by it already).
    pub href: String,
    /// `Some(true)` when the list is sorted by this column descending, `Some(false)`
    /// ascending, `None` when it is sorted by another column.
    pub descending: Option<bool>,
}

/// One column of a [`DataTable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub label: &'static str,
    /// Numbers are right-aligned.
    pub numeric: bool,
    pub sort: Option<SortLink>,
}

impl Column {
    pub fn new(label: &'static str) -> Self {
        Self {
            label,
            numeric: false,
            sort: None,
        }
    }

    pub fn numeric(label: &'static str) -> Self {
        Self {
            numeric: true,
            ..Self::new(label)
        }
    }

    pub fn sorted(mut self, sort: SortLink) -> Self {
        self.sort = Some(sort);
        self
    }
}

/// The value of `aria-sort` for a column.
pub fn aria_sort(sort: &Option<SortLink>) -> Option<&'static str> {
    match sort.as_ref()?.descending? {
        true => Some("descending"),
        false => Some("ascending"),
    }
}

/// A table of rows (the children, `<tr>`s) under `columns`, named by `caption` for screen
/// readers; `empty` is shown instead when there are no rows.
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    columns: Vec<Column>,
    /// Whether there are no rows to show.
    is_empty: bool,
    /// What to say when there are no rows (and what to do about it).
    #[prop(into)]
    empty: String,
    #[prop(optional, into)] test_id: Option<String>,
    children: Children,
) -> impl IntoView {
    if is_empty {
        return view! { <p class="empty" role="status">{empty}</p> }.into_any();
    }
    let headers = columns
        .into_iter()
        .map(|column| {
            let class = column.numeric.then_some("num");
            let sort = aria_sort(&column.sort);
            let label = match column.sort {
                Some(link) => {
                    let arrow = match link.descending {
                        Some(true) => " ↓",
                        Some(false) => " ↑",
                        None => "",
                    };
                    view! { <a href=link.href class="sort-link">{column.label}{arrow}</a> }
                        .into_any()
                }
                None => column.label.into_any(),
            };
            view! { <th scope="col" class=class aria-sort=sort>{label}</th> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid=test_id>
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>{headers}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `path` at a list position (`/admin/partners?after=...`): the page links of a list whose
/// only parameter is its position.
pub fn page_href(path: &str, position: &crate::program::Position) -> String {
    match position.param() {
        Some((name, value)) => format!("{path}?{name}={}", super::format::url_encode(&value)),
        None => path.to_string(),
    }
}

/// Links to the first, previous, next and last pages (each only where there is one), with
/// where the reader is in between. The links come from the list's own query, by page
/// number or by cursor.
#[component]
pub fn Pager(
    /// What the list is, for the navigation's name ("Client pages").
    #[prop(into)]
    label: String,
    #[prop(default = None)] first: Option<String>,
    #[prop(default = None)] previous: Option<String>,
    #[prop(default = None)] next: Option<String>,
    #[prop(default = None)] last: Option<String>,
    /// Where the reader is: "Page 2 of 7 · 130 clients".
    #[prop(into)]
    position: String,
) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=label>
            {first.map(|href| view! { <a href=href>"« First"</a> })}
            {previous.map(|href| view! { <a href=href rel="prev">"← Previous"</a> })}
            <span>{position}</span>
            {next.map(|href| view! { <a href=href rel="next">"Next →"</a> })}
            {last.map(|href| view! { <a href=href>"Last »"</a> })}
        </nav>
    }
}

/// [`Pager`] for a list whose only URL parameter is its position.
#[component]
pub fn PositionPager(
    #[prop(into)] label: String,
    /// The list's path, e.g. `/admin/partners`.
    path: &'static str,
    links: crate::program::PageLinks,
    #[prop(into)] position: String,
) -> impl IntoView {
    let at = move |p: &crate::program::Position| page_href(path, p);
    view! {
        <Pager
            label
            first=links.first.as_ref().map(at)
            previous=links.previous.as_ref().map(at)
            next=links.next.as_ref().map(at)
            last=links.last.as_ref().map(at)
            position
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sorted_column_tells_its_direction() {
        let link = |descending| {
            Some(SortLink {
                href: "/x".into(),
                descending,
            })
        };
        assert_eq!(aria_sort(&link(Some(true))), Some("descending"));
        assert_eq!(aria_sort(&link(Some(false))), Some("ascending"));
        assert_eq!(aria_sort(&link(None)), None);
        assert_eq!(aria_sort(&None), None);
    }
}
