"""Headline, date and byline from the places real pages keep them, on invented pages: JSON-LD, Open
Graph and article: meta, <time>, rel=author, byline classes, the page's header, and the text rules."""
from quotedesk.core.extraction import extract_article
from quotedesk.core.extraction.page_meta import meta_record

BODY = "".join(
    f"<p>Paragraph {i} of the invented harbour report, in which the council, the ferry operator and the "
    f"residents of Kestrel Bay each said something about the pier, the budget and the tides.</p>"
    for i in range(6))


def page(head: str = "", header: str = "", lang: str = "en", body: str = BODY, after: str = "") -> str:
    return (f"<html lang='{lang}'><head><title>Ferry pier to close for repairs | The Bay Courier</title>{head}"
            f"</head><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"
            f"<article>{header}<div class='story-body'>{body}</div></article>{after}"
            f"<footer>Privacy policy. Terms of use.</footer></body></html>")


def meta_of(raw: str, kind: str = "html"):
    return extract_article(raw, kind).meta


# -- JSON-LD -------------------------------------------------------------------------------------

def test_json_ld_news_article_in_a_graph_with_author_by_id():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebSite", "name": "The Bay Courier"},'
          '{"@type": "Person", "@id": "#p1", "name": "Ada Quill"},'
          '{"@type": ["NewsArticle"], "headline": "Ferry pier to close for repairs",'
          ' "datePublished": "2024-03-05T08:15:00+01:00", "dateModified": "2024-03-06T10:00:00+01:00",'
          ' "author": [{"@id": "#p1"}]}]}</script>')
    m = meta_of(page(ld))
    assert m.headline == "Ferry pier to close for repairs"  # from the title, without the site's name
    assert m.date == "2024-03-05T08:15:00+01:00" and m.date_text == "2024-03-05T08:15:00+01:00"
    assert m.byline == "Ada Quill"


def test_json_ld_list_and_escaped_headline():
    ld = ('<script type="application/ld+json">[{"@type": "BreadcrumbList"},'
          '{"@type": "Article", "headline": "Pier &amp;#038; ferry works", "datePublished": "2024-03-05",'
          ' "author": {"@type": "Person", "name": "Ada Quill"}}]</script>')
    raw = page(ld).replace("<title>Ferry pier to close for repairs | The Bay Courier</title>", "")
    m = meta_of(raw)
    assert m.headline == "Pier & ferry works"
    assert m.date == "2024-03-05" and m.byline == "Ada Quill"


# -- Open Graph and article: meta ----------------------------------------------------------------

def test_open_graph_and_article_meta():
    head = ('<meta property="og:title" content="Ferry pier to close for repairs - The Bay Courier">'
            '<meta property="og:site_name" content="The Bay Courier">'
            '<meta property="article:published_time" content="2024-03-05T07:00:00Z">'
            '<meta name="author" content="Ada Quill">')
    m = meta_of(page(head))
    assert m.headline == "Ferry pier to close for repairs"
    assert m.date == "2024-03-05T07:00:00+00:00"
    assert m.byline == "Ada Quill"


def test_the_visible_h1_is_the_headline_when_the_titles_are_seo_copies():
    head = '<meta property="og:title" content="Pier closure: everything you need to know in 2024">'
    header = "<h1>Ferry pier to close for three weeks of repairs</h1>"
    m = meta_of(page(head, header))
    assert m.headline == "Ferry pier to close for three weeks of repairs"
    assert "three weeks of repairs" not in extract_article(page(head, header), "html").article


def test_a_section_name_in_h1_is_no_headline():
    header = "<h1>OUR BLOG</h1>"
    m = meta_of(page('<meta property="og:title" content="Ferry pier to close for repairs">', header))
    assert m.headline == "Ferry pier to close for repairs"


# -- <time>, rel=author, byline classes, the header ------------------------------------------------

def test_time_element_and_rel_author():
    header = ("<h1>Ferry pier to close for repairs</h1>"
              "<p class='meta'><a rel='author' href='/ada'>Ada Quill</a></p>")
    after = "<aside><time datetime='2024-03-05T09:30:00-05:00'></time></aside>"
    m = meta_of(page("", header, after=after))
    assert m.date == "2024-03-05T09:30:00-05:00"
    assert m.byline == "Ada Quill"


def test_byline_class_element():
    header = "<h1>Ferry pier to close for repairs</h1><div class='article-byline'><span>Ada Quill</span></div>"
    assert meta_of(page("", header)).byline == "Ada Quill"


def test_the_header_date_as_written_wins_and_takes_the_structured_time():
    # The page says "March 9" under its headline; its meta says published on the 5th: the
    # reader's date is the one written there, given the time and zone of the structured date that day.
    head = ('<meta property="article:published_time" content="2024-03-05T07:00:00Z">'
            '<meta property="article:modified_time" content="2024-03-09T16:20:00Z">')
    header = "<h1>Ferry pier to close for repairs</h1><p>By Ada Quill</p><p>March 9, 2024</p>"
    raw = page(head, header)
    ex = extract_article(raw, "html")
    m = ex.meta
    assert m.date == "2024-03-09T16:20:00+00:00" and m.date_text == "March 9, 2024"
    assert m.byline == "Ada Quill"
    assert ex.page_text[slice(*m.raw_spans["date"])] == "March 9, 2024"
    assert "March 9, 2024" not in ex.article and "By Ada Quill" not in ex.article
    # An "Updated ..." header tells when it changed; the structured date when it was published.
    m = meta_of(page(head, header.replace("March 9", "Updated March 9")))
    assert m.date == "2024-03-05T07:00:00+00:00"
    # ... unless the header shows the publication too.
    m = meta_of(page(head, header.replace("<p>March 9, 2024</p>",
                                          "<p>Updated March 9, 2024</p><p>Published March 4, 2024</p>")))
    assert m.date == "2024-03-04" and m.date_text == "March 4, 2024"


def test_day_first_by_the_pages_language():
    header = "<h1>Ferry pier to close for repairs</h1><p>Published 04/05/2024</p>"
    assert meta_of(page("", header, lang="en-GB")).date == "2024-05-04"
    assert meta_of(page("", header, lang="en-US")).date == "2024-04-05"
    assert meta_of(page("", header, lang="de")).date == "2024-05-04"


def test_meta_record_is_what_analyze_and_extract_write():
    m = meta_of(page('<meta name="author" content="Ada Quill">', "<h1>Ferry pier to close for repairs</h1>"))
    rec = meta_record(m)
    assert list(rec) == ["headline", "date", "dateline", "byline", "agency"]  # no date: no date_text
    assert rec["byline"] == "Ada Quill"


# -- page text -------------------------------------------------------------------------------------

STORY = "\n".join(
    f"Line {i} of the invented story says that the council of Kestrel Bay will close the ferry pier for "
    f"repairs, and that the ferry operator expects delays on every crossing until the work is done."
    for i in range(6))


def test_text_headline_sits_above_its_byline_and_date_not_in_a_link_list():
    links = "\n".join(f"Other story number {w} about something else entirely" for w in
                      ("one", "two", "three", "four", "five", "six"))
    raw = (f"Home\nNews\nSport\n\nFerry pier to close for repairs\nBy Ada Quill\nUpdated 0930 GMT March 5, 2024\n"
           f"MORE VIDEOS\n{links}\n{STORY}\n")
    ex = extract_article(raw, "text")
    m = ex.meta
    assert m.headline == "Ferry pier to close for repairs"
    assert m.byline == "Ada Quill"
    assert m.date == "2024-03-05" and raw[slice(*m.raw_spans["date"])] == "March 5, 2024"


def test_text_headline_names_the_storys_subject():
    raw = ("Home\nBook a Demo Log In\nBook a Demo Log In\nMarch 5, 2024 Staff\n"
           f"Council will close the Kestrel Bay ferry pier for repairs\n{STORY}\n")
    assert extract_article(raw, "text").meta.headline == "Council will close the Kestrel Bay ferry pier for repairs"


def test_text_name_beside_a_date_is_the_byline():
    raw = f"Home\nNews\nAda Quill\nSeptember 4, 2025\n5:50 am\nFerry pier to close for repairs\n{STORY}\n"
    m = extract_article(raw, "text").meta
    assert m.byline == "Ada Quill" and m.date == "2025-09-04"
    assert m.headline == "Ferry pier to close for repairs"


def test_text_byline_and_date_on_one_line_after_the_headline():
    raw = f"Menu\nFerry pier to close for repairs\nOn March 5, 2024 By Ada Quill In Local News\n{STORY}\n"
    m = extract_article(raw, "text").meta
    assert m.byline == "Ada Quill" and m.date == "2024-03-05"


def test_text_day_first_from_the_pages_own_dates():
    raw = (f"Ferry pier to close for repairs\nPublished 04/05/2024\n{STORY}\n"
           "Related: older story 25/12/2023\nAnother one 14/01/2024\n")
    assert extract_article(raw, "text").meta.date == "2024-05-04"


def test_text_promo_inside_the_story_is_dropped():
    raw = (f"Ferry pier to close for repairs\n{STORY}\nTHE BAY PODCAST -- NOW ON YOUTUBE!\n"
           "In each episode of our weekly show, our reporters look a little deeper into the harbour's "
           "politics and its people. Click to subscribe!\n" + STORY.replace("Line", "More") + "\n")
    article = extract_article(raw, "text").article
    assert "NOW ON YOUTUBE" not in article and "Click to subscribe" not in article
    assert article.count("invented story") == 12


def test_text_japanese_story_beats_the_archive_list():
    story = "\n".join("港の桟橋は修理のため三週間閉鎖されると町議会は発表し、フェリー会社は遅れが出ると述べました。" * 2
                      for _ in range(5))
    archive = "\n".join(f"2016年{m}月 (3)" for m in range(1, 13))
    raw = f"ホーム\nブログ\n桟橋が修理で閉鎖へ\n{story}\n関連記事\nアーカイブ\n{archive}\n"
    ex = extract_article(raw, "text")
    assert ex.article.startswith("港の桟橋") and "2016年" not in ex.article


def test_date_in_the_pages_address_and_after_the_story():
    head = ('<meta property="og:url" content="https://bay.example/2024/03/05/ferry-pier">'
            '<meta property="article:published_time" content="2023-11-01T07:00:00Z">')
    # the address says the 5th; a structured date months away is another date (a template's)
    assert meta_of(page(head, "<h1>Ferry pier to close for repairs</h1>")).date == "2024-03-05"
    # a day either way is the newsroom's time zone: the page's own date stays
    head2 = head.replace("2023-11-01T07:00:00Z", "2024-03-06T01:30:00Z")
    assert meta_of(page(head2, "<h1>Ferry pier to close for repairs</h1>")).date == "2024-03-06T01:30:00+00:00"
    # nothing above the story: the author box after it
    after = "<div class='about'><p>Published</p><p>Feb 2, 2023</p></div>"
    assert meta_of(page("", "<h1>Ferry pier to close for repairs</h1>", after=after)).date == "2023-02-02"


def test_ambiguous_header_date_read_the_way_the_structured_date_agrees():
    head = '<meta property="article:modified_time" content="2024-05-04T10:00:00Z">'
    header = "<h1>Ferry pier to close for repairs</h1><p>04/05/2024</p>"
    assert meta_of(page(head, header, lang="en-US")).date == "2024-05-04T10:00:00+00:00"


def test_a_masthead_date_above_the_headline_gives_way_to_the_published_date():
    head = '<meta property="article:published_time" content="2024-03-05T07:00:00Z">'
    header = "<p>Friday, March 8, 2024</p><h1>Ferry pier to close for repairs</h1><p>By Ada Quill</p>"
    assert meta_of(page(head, header)).date == "2024-03-05T07:00:00+00:00"
    # without a structured date it is the only one there is
    assert meta_of(page("", header)).date == "2024-03-08"


def test_text_by_alone_on_its_line_then_the_name():
    raw = f"Menu\nFerry pier to close for repairs\nBy\nAda Quill\n-\nMarch 5, 2024\n{STORY}\n"
    ex = extract_article(raw, "text")
    assert ex.meta.byline == "Ada Quill" and raw[slice(*ex.meta.raw_spans["byline"])] == "Ada Quill"
    assert ex.meta.headline == "Ferry pier to close for repairs" and ex.meta.date == "2024-03-05"


def test_text_line_with_published_and_updated_dates():
    raw = f"Menu\nFerry pier to close for repairs\nPosted on March 5, 2024 March 9, 2024 in Local News\n{STORY}\n"
    assert extract_article(raw, "text").meta.date == "2024-03-05"
    raw = f"Menu\nFerry pier to close for repairs\nMarch 5, 2024 By Ada Quill, Harbour Editor, The Bay Courier\n{STORY}\n"
    m = extract_article(raw, "text").meta
    assert m.date == "2024-03-05" and m.byline.startswith("Ada Quill")
