//! The demo's pages in headless Chromium: entity hovercards, quote callouts
//! at phone and desktop widths, and the speaker filter of /quotes/.

use std::time::Duration;

use serde_json::Value;

use crate::browser::{Browser, ENTER, ESCAPE, TAB, demo_url};
use crate::harness::*;

const PATIENCE: Duration = Duration::from_secs(15);
const SEED: &str = "articles/000-69bf82de41c060fe/";
/// The first mention of Antony Blinken in the seed article's body.
const BLINKEN: &str = ".body a[data-entity='antony-blinken']";

fn card_json(id: &str) -> Value {
    serde_json::from_str(&demo_file(&format!("entities/{id}/card.json"))).unwrap()
}

/// What the hovercard shows, or null when there is none.
const READ_CARD: &str = r#"
    const card = document.querySelector('.hovercard');
    if (!card) return null;
    const link = document.querySelector(".body a[data-entity='antony-blinken']");
    const box = card.getBoundingClientRect();
    const under = link.getClientRects()[0];
    return {
        kind: card.querySelector('.kind').textContent,
        name: card.querySelector('strong').textContent,
        text: card.textContent,
        href: card.querySelector('a').getAttribute('href'),
        id: card.id,
        role: card.getAttribute('role'),
        describedby: link.getAttribute('aria-describedby'),
        visible: box.width > 0 && box.height > 0 && getComputedStyle(card).visibility === 'visible',
        inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
        near: Math.abs(box.top - under.bottom) < 40 || Math.abs(box.bottom - under.top) < 40,
    };
"#;

fn resources(browser: &Browser) -> Vec<String> {
    let names = browser
        .run("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);");
    names.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

#[test]
#[ignore = "needs Chromium"]
fn hovercards_show_on_hover_and_focus_and_links_stay_links() {
    let browser = Browser::start();
    browser.viewport(1280, 900, false);
    let article = format!("{}{SEED}", demo_url());
    let entity_page = "/entities/antony-blinken/";
    let expected = card_json("antony-blinken");
    let briefings = match expected["articles"].as_u64().unwrap() {
        1 => "1 briefing".to_string(),
        n => format!("{n} briefings"),
    };

    // Hover: the card shows the name, kind, description and briefing count.
    browser.goto(&article);
    browser.hover(BLINKEN);
    browser.wait_until("document.querySelector('.hovercard')", PATIENCE);
    let card = browser.run(READ_CARD);
    assert_eq!(card["name"], "Antony Blinken", "{card}");
    assert_eq!(card["kind"], "person", "{card}");
    let text = card["text"].as_str().unwrap();
    let description = expected["description"].as_str().unwrap();
    assert!(description.contains("Secretary of State"), "{description}");
    assert!(text.contains(description), "{text}");
    assert!(text.contains(&briefings), "{text}");
    assert_eq!(card["href"], entity_page);
    assert_eq!(card["role"], "tooltip");
    assert_eq!(card["describedby"], card["id"], "the link is described by the card");
    assert_eq!(card["visible"], true, "{card}");
    assert_eq!(card["inside"], true, "{card}");
    assert_eq!(card["near"], true, "{card}");

    // It fetched the small card.json, never the entity's page.
    let fetched = resources(&browser);
    assert!(fetched.contains(&format!("{entity_page}card.json")), "{fetched:?}");
    assert!(!fetched.iter().any(|f| f == entity_page || f.ends_with("index.html")), "{fetched:?}");

    // The mouse can move onto the card; leaving both hides it.
    browser.hover(".hovercard strong");
    std::thread::sleep(Duration::from_millis(400));
    assert!(browser.run(READ_CARD).is_object(), "the card hid while the mouse was on it");
    browser.move_mouse_to(1.0, 1.0);
    browser.wait_until("!document.querySelector('.hovercard')", PATIENCE);
    assert_eq!(
        browser.run(&format!(
            "return document.querySelector(\"{BLINKEN}\").getAttribute('aria-describedby');"
        )),
        Value::Null
    );

    // The card's link goes to the entity page.
    browser.hover(BLINKEN);
    browser.wait_until("document.querySelector('.hovercard a')", PATIENCE);
    browser.click(".hovercard a");
    browser.wait_until(&format!("location.pathname === '{entity_page}'"), PATIENCE);
    browser.wait_until("document.querySelector('h1').textContent === 'Antony Blinken'", PATIENCE);

    // Keyboard: Tab onto the link shows the card, Escape hides it, Enter
    // then follows the link as a plain link.
    browser.goto(&article);
    browser.move_mouse_to(1.0, 1.0);
    browser.run("document.querySelector('.toc a:last-child').focus();");
    browser.press(TAB);
    let focused = browser.run("return document.activeElement.getAttribute('data-entity');");
    assert_eq!(focused, "antony-blinken", "Tab did not reach the first entity link");
    browser.wait_until("document.querySelector('.hovercard')", PATIENCE);
    let card = browser.run(READ_CARD);
    assert_eq!(card["name"], "Antony Blinken", "{card}");
    assert_eq!(card["describedby"], card["id"], "{card}");
    browser.press(ESCAPE);
    browser.wait_until("!document.querySelector('.hovercard')", PATIENCE);
    browser.press(ENTER);
    browser.wait_until(&format!("location.pathname === '{entity_page}'"), PATIENCE);

    // Without JavaScript there is no card, and the link is a plain link.
    browser.javascript(false);
    browser.goto(&article);
    browser.hover(BLINKEN);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(browser.run(READ_CARD), Value::Null, "a card without JavaScript?");
    browser.click(BLINKEN);
    browser.wait_until(&format!("location.pathname === '{entity_page}'"), PATIENCE);
    assert!(browser.url().ends_with(entity_page), "{}", browser.url());
}

/// Every callout of the page, measured.
const READ_CALLOUTS: &str = r#"
    const width = window.innerWidth;
    return {
        width,
        scrollWidth: document.documentElement.scrollWidth,
        callouts: [...document.querySelectorAll('.body .callout')].map(c => {
            const box = c.getBoundingClientRect();
            const quote = c.querySelector('blockquote').getBoundingClientRect();
            const speaker = c.querySelector('.callout-speaker');
            const link = speaker.querySelector('a[data-entity]');
            const permalink = speaker.querySelector('a.permalink');
            const target = permalink && document.getElementById(permalink.getAttribute('href').slice(1));
            const line = speaker.getBoundingClientRect();
            return {
                displayed: getComputedStyle(c).display !== 'none' && getComputedStyle(c).visibility === 'visible',
                left: box.left, right: box.right, width: box.width, height: box.height,
                quoteWidth: quote.width,
                above: line.top - quote.bottom,
                below: box.bottom - line.bottom,
                fontSize: parseFloat(getComputedStyle(c.querySelector('blockquote')).fontSize),
                speaker: speaker.textContent.replace(/^\s*—\s*/, '').split(',')[0].trim(),
                entity: link && link.getAttribute('data-entity'),
                href: link && link.getAttribute('href'),
                permalink: permalink && permalink.getAttribute('href'),
                target: target ? target.className : null,
            };
        }),
    };
"#;

#[test]
#[ignore = "needs Chromium"]
fn callouts_fit_phones_and_desktops_with_speaker_and_permalink() {
    let browser = Browser::start();
    let article = format!("{}{SEED}", demo_url());
    let shots = tempfile::tempdir().unwrap();
    let speakers = [
        ("Antony Blinken", Some("antony-blinken")),
        ("Antony Blinken", Some("antony-blinken")),
        ("a senior State Department official", None),
        ("Antony Blinken", Some("antony-blinken")),
        ("Wang Wenbin", Some("wang-wenbin")),
        ("Antony Blinken", Some("antony-blinken")),
    ];
    for (name, width, height, mobile) in [("phone", 390, 844, true), ("desktop", 1280, 900, false)]
    {
        browser.viewport(width, height, mobile);
        browser.goto(&article);
        let page = browser.run(READ_CALLOUTS);
        let png = browser.screenshot_full_page();
        let shot = shots.path().join(format!("callouts-{name}.png"));
        std::fs::write(&shot, &png).unwrap();
        std::fs::copy(&shot, format!("/tmp/gloss-callouts-{name}.png")).unwrap();

        assert_eq!(page["width"], width, "{name}: the viewport");
        assert!(
            page["scrollWidth"].as_u64().unwrap() <= u64::from(width),
            "{name}: the page scrolls sideways: {page}"
        );
        let callouts = page["callouts"].as_array().unwrap();
        assert_eq!(callouts.len(), speakers.len(), "{name}: {page}");
        for (i, (c, (speaker, entity))) in callouts.iter().zip(speakers).enumerate() {
            let n = i + 1;
            assert_eq!(c["displayed"], true, "{name} #{n}: {c}");
            assert!(c["width"].as_f64().unwrap() > 0.0 && c["height"].as_f64().unwrap() > 0.0);
            assert!(c["left"].as_f64().unwrap() >= 0.0, "{name} #{n}: {c}");
            assert!(c["right"].as_f64().unwrap() <= f64::from(width), "{name} #{n}: {c}");
            assert!(c["fontSize"].as_f64().unwrap() >= 16.0, "{name} #{n}: small text: {c}");
            // The speaker sits under the quote, the padding even around both.
            let (above, below) = (c["above"].as_f64().unwrap(), c["below"].as_f64().unwrap());
            assert!((4.0..=16.0).contains(&above), "{name} #{n}: speaker line spacing: {c}");
            assert!(below <= 16.0, "{name} #{n}: a gap under the speaker: {c}");
            assert_eq!(c["speaker"], speaker, "{name} #{n}");
            match entity {
                Some(id) => {
                    assert_eq!(c["entity"], id, "{name} #{n}");
                    assert_eq!(c["href"], format!("/entities/{id}/"), "{name} #{n}");
                }
                None => assert_eq!(c["entity"], Value::Null, "{name} #{n}"),
            }
            assert_eq!(c["permalink"], format!("#quote-{n}"), "{name} #{n}");
            assert_eq!(c["target"], "quote", "{name} #{n}: #quote-{n} is not on the page");
        }
        if mobile {
            // Not cramped: the quote keeps most of a phone's width.
            for c in callouts {
                let quote = c["quoteWidth"].as_f64().unwrap();
                assert!(quote >= 0.75 * f64::from(width), "phone: a narrow callout: {c}");
            }
        }
    }
}

#[test]
#[ignore = "needs Chromium"]
fn the_speaker_filter_narrows_quotes_to_one_speaker() {
    let browser = Browser::start();
    let quotes = format!("{}quotes/", demo_url());
    let html = demo_file("quotes/index.html");
    let all = html.matches("<figure class=\"quote-card\"").count();
    let by = |name: &str| html.matches(&format!("data-name=\"{name}\"")).count();
    assert!(by("antony blinken") > 0 && by("antony blinken") < all);
    // Visible quote cards, by speaker.
    let shown = || -> Vec<String> {
        let names = browser.run(
            "return [...document.querySelectorAll('.quote-index .quote-card')].filter(c => !c.hidden && c.offsetHeight > 0).map(c => c.dataset.name);",
        );
        names.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };

    browser.goto(&quotes);
    assert_eq!(shown().len(), all);

    // Typing a name into the box.
    browser.type_into("#quote-filter", "Blinken");
    let left = shown();
    assert_eq!(left.len(), by("antony blinken"), "{left:?}");
    assert!(left.iter().all(|s| s == "antony blinken"), "{left:?}");

    // Without the accent, whatever the case.
    browser.run("const box = document.getElementById('quote-filter'); box.value = ''; box.dispatchEvent(new Event('input'));");
    assert_eq!(shown().len(), all);
    browser.type_into("#quote-filter", "INGRID");
    let left = shown();
    assert_eq!(left.len(), by("íngrid betancourt"), "{left:?}");
    assert!(left.iter().all(|s| s == "íngrid betancourt"), "{left:?}");

    // A speaker button picks exactly that speaker; pressing it again shows all.
    let button = "button.speaker[value='Antony Blinken']";
    browser.click(button);
    let left = shown();
    assert_eq!(left.len(), by("antony blinken"), "{left:?}");
    assert!(left.iter().all(|s| s == "antony blinken"), "{left:?}");
    assert_eq!(
        browser.run(&format!(
            "return document.querySelector(\"{button}\").getAttribute('aria-pressed');"
        )),
        "true"
    );
    assert_eq!(
        browser.run("return document.getElementById('quote-filter').value;"),
        "Antony Blinken"
    );
    browser.click(button);
    assert_eq!(shown().len(), all);
    assert_eq!(
        browser.run(&format!(
            "return document.querySelector(\"{button}\").getAttribute('aria-pressed');"
        )),
        "false"
    );

    // ?speaker= in the address, as a link would give it.
    browser.goto(&format!("{quotes}?speaker=Kofi+Annan"));
    let left = shown();
    assert_eq!(left.len(), by("kofi annan"), "{left:?}");
    assert!(left.iter().all(|s| s == "kofi annan"), "{left:?}");
}
