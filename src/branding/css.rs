//! The custom CSS sanitizer. A partner's stylesheet is parsed with Lightning CSS and a new one
//! is built from what is allowed; nothing is filtered with text patterns.
//!
//! What survives: style rules, their selectors scoped under the branded root; `@media` and
//! `@supports` blocks of such rules; `@keyframes`. A declaration survives when its property is
//! one custom CSS may set and, read back as printed with the CSS tokenizer browsers use, every
//! `url()` in it names one of the partner's own uploaded assets and it calls no function that
//! fetches (`src()`, `image-set()`, …) or runs script (`expression()`). Everything else is
//! removed and reported with its line.

use std::sync::{Arc, RwLock};

use cssparser::{Parser, ParserInput, Token};
use lightningcss::{
    declaration::DeclarationBlock,
    properties::{custom::CustomPropertyName, Property},
    rules::{keyframes::KeyframesRule, CssRule, CssRuleList},
    selector::{Combinator, Component, PseudoClass, PseudoElement, Selector, SelectorList},
    stylesheet::{ParserOptions, PrinterOptions, StyleSheet},
    targets::{Browsers, Targets},
};

use super::model::{CheckedCss as Sanitized, CssRemoval as Removal};

/// Functions that load something or run something, whatever property they appear in.
const FETCHING_FUNCTIONS: &[&str] = &[
    "src",
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "-webkit-cross-fade",
    "element",
    "-moz-element",
    "expression",
    "paint",
];

/// Standard properties that Lightning CSS passes through without a model of their own; any
/// other property it does not know (`behavior`, `-moz-binding`, a typo) is removed.
const UNMODELLED_PROPERTIES: &[&str] = &[
    "content",
    "contain",
    "cursor",
    "pointer-events",
    "visibility",
    "z-index",
    "white-space",
    "word-break",
    "list-style-type",
    "list-style-position",
    "object-fit",
    "object-position",
    "aspect-ratio",
    "accent-color",
    "caret-color",
    "appearance",
    "user-select",
    "resize",
    "scroll-behavior",
    "text-overflow",
    "overflow-wrap",
    "quotes",
    "counter-reset",
    "counter-increment",
    "will-change",
    "isolation",
    "mix-blend-mode",
    "table-layout",
    "border-collapse",
    "border-spacing",
    "vertical-align",
    "letter-spacing",
    "word-spacing",
    "hyphens",
    "tab-size",
    "writing-mode",
    "text-wrap",
    "column-count",
    "column-gap",
    "caption-side",
    "empty-cells",
    "font-variant",
    "font-feature-settings",
    "backdrop-filter",
    "scrollbar-color",
    "scrollbar-width",
    "text-underline-offset",
    "text-decoration-thickness",
];

/// Rebuilds `source` from its allowed parts, every selector under `scope` (a selector such as
/// `[data-brand-root]`). `allowed_urls` are the partner's uploaded assets, the only URLs kept.
pub fn sanitize(source: &str, scope: &str, allowed_urls: &[String]) -> Sanitized {
    let wrapper_source = format!("{scope}{{}}");
    let warnings = Arc::new(RwLock::new(Vec::new()));
    let options = ParserOptions {
        error_recovery: true,
        warnings: Some(warnings.clone()),
        ..ParserOptions::default()
    };
    let mut cleaner = Cleaner {
        allowed_urls,
        removed: Vec::new(),
    };
    let Ok(sheet) = StyleSheet::parse(source, options) else {
        cleaner.remove(0, "the whole stylesheet", "it could not be read as CSS");
        return Sanitized {
            css: String::new(),
            removed: cleaner.removed,
        };
    };
    for warning in warnings.read().map(|w| w.clone()).unwrap_or_default() {
        let line = warning.loc.as_ref().map_or(0, |l| l.line);
        cleaner.remove(line, "unreadable CSS", warning.kind.to_string());
    }

    let mut scoped = Vec::new();
    let mut keyframes = Vec::new();
    for rule in sheet.rules.0 {
        match rule {
            CssRule::Keyframes(mut k) => {
                if cleaner.keyframes(&mut k) {
                    keyframes.push(CssRule::Keyframes(k));
                }
            }
            other => scoped.extend(cleaner.rule(other)),
        }
    }

    // The partner's rules become the nested rules of one rule for `scope`, each selector
    // starting with `&`; printing for browsers without CSS nesting writes them out in full as
    // `scope <selector>`.
    let Ok(mut sheet) = StyleSheet::parse(&wrapper_source, ParserOptions::default()) else {
        cleaner.remove(
            0,
            "the whole stylesheet",
            "the branded root could not be scoped",
        );
        return Sanitized {
            css: String::new(),
            removed: cleaner.removed,
        };
    };
    let mut rules = Vec::new();
    if let (false, Some(CssRule::Style(mut root))) = (scoped.is_empty(), sheet.rules.0.pop()) {
        root.rules = CssRuleList(scoped);
        rules.push(CssRule::Style(root));
    }
    rules.extend(keyframes);
    sheet.rules = CssRuleList(rules);

    let printed = sheet.to_css(printer_options());
    let css = match printed {
        Ok(out) if fetches(&out.code, allowed_urls).is_none() => {
            encode_for_style_element(&out.code)
        }
        _ => {
            // Not expected, as every declaration was checked as printed: fail closed.
            cleaner.remove(0, "the whole stylesheet", "it could not be rebuilt safely");
            String::new()
        }
    };
    Sanitized {
        css,
        removed: cleaner.removed,
    }
}

/// Why printed CSS would load or run something, or `None`. It is read with the tokenizer
/// browsers use: every `url()` must name an allowed asset, no `@import`, and no function that
/// fetches or runs script, at any depth.
pub fn fetches(css: &str, allowed_urls: &[String]) -> Option<String> {
    let mut input = ParserInput::new(css);
    let mut parser = Parser::new(&mut input);
    scan(&mut parser, allowed_urls)
}

fn scan(parser: &mut Parser, allowed_urls: &[String]) -> Option<String> {
    let allowed = |url: &str| allowed_urls.iter().any(|a| a == url);
    let outside = || Some("url() may only name your uploaded assets".to_string());
    loop {
        let Ok(token) = parser.next_including_whitespace_and_comments() else {
            return None;
        };
        let nested = match token.clone() {
            Token::UnquotedUrl(url) if !allowed(&url) => return outside(),
            Token::BadUrl(_) => return outside(),
            Token::AtKeyword(name) if name.eq_ignore_ascii_case("import") => {
                return Some("@import is not allowed".into())
            }
            Token::Function(name) if name.eq_ignore_ascii_case("url") => {
                let url: Result<String, cssparser::ParseError<'_, ()>> =
                    parser.parse_nested_block(|p| Ok(p.expect_string()?.to_string()));
                match url {
                    Ok(url) if allowed(&url) => continue,
                    _ => return outside(),
                }
            }
            Token::Function(name) => {
                let name = name.to_ascii_lowercase();
                if FETCHING_FUNCTIONS.contains(&name.as_str()) {
                    return Some(format!("{name}() is not allowed"));
                }
                true
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => true,
            _ => false,
        };
        if nested {
            let found: Result<Option<String>, cssparser::ParseError<'_, ()>> =
                parser.parse_nested_block(|p| Ok(scan(p, allowed_urls)));
            if let Ok(Some(why)) = found {
                return Some(why);
            }
        }
    }
}

/// Printed minified for browsers without CSS nesting or media range syntax, so that every
/// nested selector is written out in full and media queries as `min-`/`max-` features.
fn printer_options() -> PrinterOptions<'static> {
    let browsers = Browsers {
        chrome: Some(100 << 16),
        firefox: Some(100 << 16),
        safari: Some(15 << 16),
        ..Browsers::default()
    };
    PrinterOptions {
        minify: true,
        targets: Targets::from(browsers),
        ..PrinterOptions::default()
    }
}

/// Once media ranges are printed as `min-`/`max-` features, the printed CSS can hold `<` only
/// inside strings; there the CSS escape `\3c ` means the same character and can never close
/// the `<style>` element the CSS is put in.
fn encode_for_style_element(css: &str) -> String {
    css.replace('<', "\\3c ")
}

struct Cleaner<'a> {
    allowed_urls: &'a [String],
    removed: Vec<Removal>,
}

impl Cleaner<'_> {
    fn remove(&mut self, line: u32, what: impl Into<String>, why: impl Into<String>) {
        self.removed.push(Removal {
            line: line + 1,
            what: what.into(),
            why: why.into(),
        });
    }

    /// A top-level or grouped rule: kept (cleaned, its selectors scoped) or removed.
    fn rule<'i>(&mut self, rule: CssRule<'i>) -> Option<CssRule<'i>> {
        match rule {
            CssRule::Style(mut style) => {
                let line = style.loc.line;
                if let Some(why) = style.selectors.0.iter().find_map(selector_refusal) {
                    self.remove(line, "a rule", why);
                    return None;
                }
                if !style.rules.0.is_empty() {
                    self.remove(line, "nested rules", "custom CSS may not nest rules");
                    style.rules.0.clear();
                }
                self.declarations(&mut style.declarations, line);
                if style.declarations.is_empty() {
                    return None;
                }
                let scoped: Vec<Selector> = style.selectors.0.iter().map(under_scope).collect();
                style.selectors = SelectorList::new(scoped.into());
                Some(CssRule::Style(style))
            }
            CssRule::Media(mut media) => {
                media.rules = self.group(media.rules);
                (!media.rules.0.is_empty()).then_some(CssRule::Media(media))
            }
            CssRule::Supports(mut supports) => {
                supports.rules = self.group(supports.rules);
                (!supports.rules.0.is_empty()).then_some(CssRule::Supports(supports))
            }
            other => {
                let (line, name) = describe(&other);
                self.remove(
                    line,
                    name,
                    "only style rules, @media, @supports and @keyframes are allowed",
                );
                None
            }
        }
    }

    fn group<'i>(&mut self, rules: CssRuleList<'i>) -> CssRuleList<'i> {
        CssRuleList(rules.0.into_iter().filter_map(|r| self.rule(r)).collect())
    }

    fn keyframes(&mut self, rule: &mut KeyframesRule) -> bool {
        let line = rule.loc.line;
        for keyframe in &mut rule.keyframes {
            self.declarations(&mut keyframe.declarations, line);
        }
        rule.keyframes.retain(|k| !k.declarations.is_empty());
        !rule.keyframes.is_empty()
    }

    fn declarations(&mut self, block: &mut DeclarationBlock, line: u32) {
        for (list, important) in [
            (&mut block.declarations, false),
            (&mut block.important_declarations, true),
        ] {
            let mut kept = Vec::with_capacity(list.len());
            for property in list.drain(..) {
                match refusal(&property, important, self.allowed_urls) {
                    None => kept.push(property),
                    Some(why) => {
                        let name = property.property_id().name().to_string();
                        self.remove(line, format!("`{name}`"), why);
                    }
                }
            }
            *list = kept;
        }
    }
}

/// Why a declaration may not stay, or `None`. It is judged as it will be printed, so that
/// nothing the printer joins together (`ur/**/l(` printed as `url(`) slips through.
fn refusal(property: &Property, important: bool, allowed_urls: &[String]) -> Option<String> {
    if let Property::Custom(custom) = property {
        if let CustomPropertyName::Unknown(name) = &custom.name {
            let name = name.as_ref().to_ascii_lowercase();
            if !UNMODELLED_PROPERTIES.contains(&name.as_str()) {
                return Some(format!("`{name}` is not a property custom CSS may set"));
            }
        }
    }
    match property.to_css_string(important, printer_options()) {
        Ok(printed) => fetches(&printed, allowed_urls),
        Err(_) => Some("it could not be printed back".into()),
    }
}

/// `selector` as a descendant of the rule it is nested in (`& selector`).
fn under_scope<'i>(selector: &Selector<'i>) -> Selector<'i> {
    let mut components = vec![
        Component::Nesting,
        Component::Combinator(Combinator::Descendant),
    ];
    components.extend(parse_order(selector));
    Selector::from(components)
}

/// A selector's components as written, the order `Selector::from` expects. It stores its
/// compound selectors right to left but the parts of each compound left to right, so a plain
/// reversal would turn `a.button` into `.buttona`.
fn parse_order<'i>(selector: &Selector<'i>) -> Vec<Component<'i>> {
    let raw = selector.iter_raw_match_order().as_slice();
    let mut combinators = raw.iter().rev().filter(|c| c.is_combinator());
    let mut components = Vec::with_capacity(raw.len());
    for (i, compound) in raw.split(Component::is_combinator).rev().enumerate() {
        if i > 0 {
            components.extend(combinators.next().cloned());
        }
        components.extend(compound.iter().cloned());
    }
    components
}

/// Why a selector may not be used, or `None`: `&` anywhere would select the scope itself,
/// and a pseudo-class or pseudo-element no browser knows would make the rule unreadable.
fn selector_refusal(selector: &Selector) -> Option<&'static str> {
    let nested = |list: &[Selector]| list.iter().find_map(selector_refusal);
    selector
        .iter_raw_match_order()
        .find_map(|component| match component {
            Component::Nesting => Some("it would select the branded root itself"),
            Component::NonTSPseudoClass(
                PseudoClass::Custom { .. } | PseudoClass::CustomFunction { .. },
            )
            | Component::PseudoElement(
                PseudoElement::Custom { .. } | PseudoElement::CustomFunction { .. },
            ) => Some("it uses a pseudo-class or pseudo-element browsers do not know"),
            Component::Negation(list)
            | Component::Where(list)
            | Component::Is(list)
            | Component::Any(_, list)
            | Component::Has(list) => nested(list),
            Component::NthOf(data) => nested(data.selectors()),
            Component::Slotted(inner) => selector_refusal(inner),
            Component::Host(inner) => inner.as_ref().and_then(selector_refusal),
            Component::PseudoElement(
                PseudoElement::CueFunction { selector }
                | PseudoElement::CueRegionFunction { selector },
            ) => selector_refusal(selector),
            _ => None,
        })
}

/// The line and a short name of a rule that is not allowed.
fn describe(rule: &CssRule) -> (u32, String) {
    let (line, name) = match rule {
        CssRule::Import(r) => (r.loc.line, "@import"),
        CssRule::Namespace(r) => (r.loc.line, "@namespace"),
        CssRule::FontFace(r) => (r.loc.line, "@font-face"),
        CssRule::Page(r) => (r.loc.line, "@page"),
        CssRule::MozDocument(r) => (r.loc.line, "@-moz-document"),
        CssRule::LayerBlock(r) => (r.loc.line, "@layer"),
        CssRule::LayerStatement(r) => (r.loc.line, "@layer"),
        CssRule::Property(r) => (r.loc.line, "@property"),
        CssRule::Container(r) => (r.loc.line, "@container"),
        CssRule::Scope(r) => (r.loc.line, "@scope"),
        CssRule::CounterStyle(r) => (r.loc.line, "@counter-style"),
        CssRule::Viewport(r) => (r.loc.line, "@viewport"),
        CssRule::StartingStyle(r) => (r.loc.line, "@starting-style"),
        CssRule::Unknown(r) => return (r.loc.line, format!("@{}", r.name.as_ref())),
        CssRule::Nesting(r) => (r.loc.line, "a nested rule"),
        CssRule::NestedDeclarations(r) => (r.loc.line, "nested declarations"),
        _ => (0, "an at-rule"),
    };
    (line, name.to_string())
}

#[cfg(test)]
mod tests;
