//! Entity links, entity pages, quote callouts and the quote index on the
//! built demo site.

use crate::harness::*;

const SEED: &str = "articles/000-69bf82de41c060fe/index.html";

#[test]
fn every_article_links_its_entities() {
    for entry in std::fs::read_dir(demo().join("articles")).unwrap() {
        let page = std::fs::read_to_string(entry.unwrap().path().join("index.html")).unwrap();
        let body = between(&page, "<div class=\"body\">", "<footer class=\"briefing-foot\"");
        assert!(body.matches("data-entity=").count() >= 3, "too few entity links in {body}");
    }
    let seed = demo_file(SEED);
    assert!(seed.contains(
        "Secretary of State <a class=\"entity entity-person\" href=\"/entities/antony-blinken/\" data-entity=\"antony-blinken\" data-kind=\"person\">Antony Blinken</a>"
    ));
    // Only the first mention is linked by default.
    let body = between(&seed, "<div class=\"body\">", "<footer class=\"briefing-foot\"");
    assert_eq!(
        body.matches("href=\"/entities/antony-blinken/\" data-entity").count(),
        1 + 4,
        "link + 4 callouts"
    );
}

#[test]
fn an_articles_list_of_entities_links_each_as_its_body_does() {
    let seed = demo_file(SEED);
    let list = between(&seed, "<section class=\"in-this-story\">", "</section>");
    assert!(
        list.contains(
            "<li><a class=\"entity entity-person\" href=\"/entities/antony-blinken/\" data-entity=\"antony-blinken\" data-kind=\"person\">Antony Blinken</a></li>"
        ),
        "{list}"
    );
    // A name is escaped as the body escapes it.
    let page = demo_file("articles/north-korea-puts-military-in-quasi-state-of-war/index.html");
    let list = between(&page, "<section class=\"in-this-story\">", "</section>");
    assert!(
        list.contains("data-kind=\"organization\">Korean People&#39;s Army</a></li>"),
        "{list}"
    );
}

#[test]
fn entity_page_lists_the_seed_with_its_sentence() {
    let page = demo_file("entities/antony-blinken/index.html");
    assert!(page.contains("<h1>Antony Blinken</h1>"));
    assert!(
        page.contains("American diplomat who served as the 71st United States Secretary of State")
    );
    assert!(page.contains("href=\"https://www.wikidata.org/wiki/Q4773997\""));
    assert!(page.contains("<a href=\"/articles/000-69bf82de41c060fe/\">Blinken meets with Xi"));
    assert!(page.contains(
        "<p class=\"mention-sentence\">Secretary of State <mark>Antony Blinken</mark> met with Chinese President Xi Jinping Friday"
    ));
    assert!(page.contains("<svg class=\"timeline\""));
    assert!(page.contains("Often mentioned with"));
    // Its hovercard data and feed.
    let card: serde_json::Value =
        serde_json::from_str(&demo_file("entities/antony-blinken/card.json")).unwrap();
    assert_eq!(card["name"], "Antony Blinken");
    assert_eq!(card["kind"], "person");
    assert_eq!(card["articles"], 1);
    assert!(demo_file("entities/antony-blinken/atom.xml").contains("<title>Blinken meets with Xi"));
}

#[test]
fn entity_directory_groups_by_kind_with_a_filter() {
    let page = demo_file("entities/index.html");
    for kind in ["person", "organization", "place"] {
        assert!(
            page.contains(&format!("<section class=\"entity-directory\" id=\"{kind}\">")),
            "{kind}"
        );
    }
    assert!(page.contains("data-filter=\".entity-directory li\""));
}

#[test]
fn seed_has_its_six_quotes_as_callouts_with_speakers() {
    let seed = demo_file(SEED);
    for n in 1..=6 {
        assert!(seed.contains(&format!("id=\"quote-{n}\"")), "quote-{n}");
    }
    assert!(!seed.contains("id=\"quote-7\""));
    assert!(!seed.contains("<span class=\"quote\" id=\"quote-1\">serious concern"));
    let callouts = seed.matches("<aside class=\"callout\"").count();
    assert_eq!(callouts, 6, "every seed quote has a speaker or description");
    assert!(
        seed.contains("— a senior State Department official, <span class=\"cue\">added</span>")
    );
    assert!(seed.contains(
        "— <a href=\"/entities/wang-wenbin/\" data-entity=\"wang-wenbin\">Wang Wenbin</a>"
    ));
}

#[test]
fn quote_index_lists_every_quote_and_speaker_pages_list_theirs() {
    let index = demo_file("quotes/index.html");
    // 68 quotes in the evaluation articles, which are the demo's content.
    assert_eq!(index.matches("<figure class=\"quote-card\"").count(), 68);
    assert!(index.contains("attempts to influence and arguably interfere"));
    let wang = demo_file("entities/wang-wenbin/index.html");
    assert!(wang.contains("It is extremely hypocritical and irresponsible"));
    let blinken = demo_file("entities/antony-blinken/index.html");
    assert_eq!(
        between(&blinken, "<section class=\"entity-quotes\">", "</section>")
            .matches("quote-card")
            .count(),
        4
    );
}

#[test]
fn article_head_has_link_preview_tags_once() {
    let seed = demo_file(SEED);
    let head = between(&seed, "<head>", "</head>");
    let title = "Blinken meets with Xi, as U.S. objects to China&#39;s support of Russia";
    assert!(head.contains(&format!("<meta property=\"og:title\" content=\"{title}\">")), "{head}");
    assert!(
        head.contains("<meta property=\"og:description\" content=\"Beijing has maintained"),
        "{head}"
    );
    assert!(head.contains("<meta name=\"twitter:card\" content=\"summary\">"), "{head}");
    // X falls back to the Open Graph title and description: no second copy.
    assert!(!head.contains("twitter:title") && !head.contains("twitter:description"), "{head}");
}

#[test]
fn article_json_ld_is_a_news_article_with_mentions_and_quotations() {
    let seed = demo_file(SEED);
    let ld = json_ld(&seed);
    assert_eq!(ld.len(), 1);
    let graph = ld[0]["@graph"].as_array().unwrap();
    let article = &graph[0];
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(
        article["headline"],
        "Blinken meets with Xi, as U.S. objects to China's support of Russia"
    );
    assert_eq!(article["datePublished"], "2024-04-26");
    assert!(article["author"].is_array());
    assert_eq!(article["publisher"]["name"], "gloss briefings");
    let mentions = article["mentions"].as_array().unwrap();
    let blinken = mentions.iter().find(|m| m["name"] == "Antony Blinken").unwrap();
    assert_eq!(blinken["@id"], "/entities/antony-blinken/");
    assert_eq!(blinken["sameAs"][0], "https://www.wikidata.org/wiki/Q4773997");
    // `about` and the speakers refer by `@id` to nodes `mentions` defines.
    let about = article["about"].as_array().unwrap();
    assert!(!about.is_empty() && about.len() <= 3);
    for reference in about {
        assert_eq!(reference.as_object().unwrap().len(), 1, "{reference}");
        assert!(mentions.iter().any(|m| m["@id"] == reference["@id"]), "{reference}");
    }
    let quotations: Vec<_> = graph.iter().filter(|n| n["@type"] == "Quotation").collect();
    assert_eq!(quotations.len(), 6);
    assert_eq!(
        quotations[0]["spokenByCharacter"],
        serde_json::json!({"@id": "/entities/antony-blinken/"})
    );
    assert_eq!(quotations[0]["isPartOf"]["@id"], article["@id"]);
    let entity = json_ld(&demo_file("entities/antony-blinken/index.html"));
    assert_eq!(entity[0]["@type"], "Person");
}

#[test]
fn related_briefings_share_entities() {
    let page = demo_file(
        "articles/u-s-senate-approves-revised-bailout-package-after-controversial-additions/index.html",
    );
    assert!(page.contains("<section class=\"related\">"), "no related section");
}

#[test]
fn entities_command_lists_and_suggests() {
    let run = gloss_in(&repo(), &["entities"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("Antony Blinken") && l.ends_with("yes")),
        "{}",
        run.stdout
    );
    let suggest = gloss_in(&repo(), &["entities", "--suggest"]);
    assert_eq!(suggest.code, 0, "{}", suggest.stderr);
    assert!(suggest.stdout.contains("+++\nname = "), "{}", suggest.stdout);
    assert!(
        !suggest.stdout.contains("name = \"Antony Blinken\""),
        "registered entities are not suggested"
    );
}

#[test]
fn an_entity_takes_the_kind_most_articles_give_it() {
    let site = Fixture::copy("sites", "basic");
    // The newest article only has the headline, where "Guayaquil talks"
    // reads like an organization's; the others say where the summit is.
    site.write(
        "content/newest.txt",
        "Muller pushes bank merger ahead of Guayaquil talks\nPublished Date: 3/3/2024\n\nThe vote is due soon.\n",
    );
    for (n, day) in [(1, 1), (2, 2)] {
        site.write(
            &format!("content/summit-{n}.txt"),
            &format!(
                "Talks resume\nPublished Date: 3/{day}/2024\n\nFew expect the issue to be settled before the summit in Guayaquil.\n"
            ),
        );
    }
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let card: serde_json::Value =
        serde_json::from_str(&site.read("public/entities/guayaquil/card.json")).unwrap();
    assert_eq!(card["kind"], "place");
    assert_eq!(card["articles"], 3);
    let newest = site.read("public/articles/newest/index.html");
    assert!(newest.contains("data-entity=\"guayaquil\" data-kind=\"place\""), "{newest}");
}
