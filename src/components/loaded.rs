//! Rendering a server resource: a loading state, the data, or the error explained.

use leptos::{either::Either, prelude::*};
use serde::{de::DeserializeOwned, Serialize};

use super::ErrorView;
use crate::error::AppError;
use crate::page_data::PageData;

/// Renders `render(data)` once `resource` has loaded, or the error page that fits. A
/// `<Transition>`: when the resource loads again (after a save) the page keeps showing the
/// last data instead of flashing "Loading…".
pub fn loaded<T, V>(
    resource: PageData<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => Either::Left(render(data)),
                        Err(error) => Either::Right(view! { <ErrorView error /> }),
                    }
                })
            }}
        </Transition>
    }
}

/// [`loaded`] for a part of a page that loads its own data beside the page's: nothing while
/// it loads, and nothing when it is refused or fails (the page's own data explains a
/// refusal once; a part must not repeat it).
pub fn loaded_part<T, V>(
    resource: PageData<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move { resource.await.ok().map(render) })
            }}
        </Transition>
    }
}
