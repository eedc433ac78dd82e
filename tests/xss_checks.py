"""What an XSS payload that got through would leave in a page, and where payloads show.

injected_markup(soup) lists markup no template of ours writes and a payload would: inline
script, event-handler attributes, javascript:/data:/vbscript: URLs, frames, objects,
<base>, <meta http-equiv>, <style> elements and external style sheets, htmx attributes
that make requests or run code. DOM_CHECK is the same test in JavaScript, run by the
browser test on the DOM as Chromium parsed it (which catches parser differentials).

texts(soup) gives every text node and attribute value, unescaped: a stored value that
appears whole in one of them was rendered as text, that is, escaped.
"""

import re

from bs4 import BeautifulSoup, Comment

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "srcdoc",
    "codebase",
    "dynsrc",
    "lowsrc",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
# htmx attributes that issue requests or run code; the templates use only hx-boost,
# hx-target, hx-select, hx-swap, hx-push-url and hx-select-oob.
HTMX_ACTIVE = re.compile(
    r"^(data-)?hx-(get|post|put|patch|delete|trigger|on|vals|vars|headers|include|ext|request)"
)
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028-\u202e\ufeff]")


def _scheme_of(value: str) -> str:
    """The URL as a browser reads its scheme: control characters, whitespace and entity
    leftovers removed (java&#x09;script: is javascript:)."""
    return _INVISIBLE.sub("", value)


def _same_origin(src: str) -> bool:
    return src.startswith("/") and not src.startswith("//")


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def injected_markup(soup: BeautifulSoup) -> list[str]:
    found = []
    for element in soup.find_all(True):
        name = element.name.lower()
        where = f"<{name}>"
        if name == "script":
            src = element.get("src", "")
            if not _same_origin(src) or (element.string or "").strip():
                found.append(f"{where} inline or foreign script: {str(element)[:120]}")
        if name in FORBIDDEN_ELEMENTS:
            found.append(f"{where} element: {str(element)[:120]}")
        if name == "meta" and element.get("http-equiv"):
            found.append(f"{where} http-equiv: {str(element)[:120]}")
        if name == "link" and not element.get("href", "").startswith("/"):
            found.append(f"{where} external: {str(element)[:120]}")
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value or "")
            lowered = attribute.lower()
            if lowered.startswith("on"):
                found.append(f"{where} event handler {attribute}={value[:80]!r}")
            elif lowered in URL_ATTRIBUTES and BAD_SCHEME.match(_scheme_of(value)):
                found.append(f"{where} {attribute}={value[:80]!r}")
            elif HTMX_ACTIVE.match(lowered):
                found.append(f"{where} htmx {attribute}={value[:80]!r}")
            elif lowered == "style" and re.search(r"url\(|expression\(|@import", value, re.I):
                found.append(f"{where} style={value[:80]!r}")
            elif lowered == "content" and "url=" in value.lower():
                found.append(f"{where} content={value[:80]!r}")
    return found


def texts(soup: BeautifulSoup) -> list[str]:
    """Every text node and attribute value of the page (comments left out)."""
    found = [str(s) for s in soup.find_all(string=True) if not isinstance(s, Comment)]
    for element in soup.find_all(True):
        for value in element.attrs.values():
            found.append(" ".join(value) if isinstance(value, list) else str(value))
    return found


# The same checks on the live DOM; returns a list of findings (empty when clean).
DOM_CHECK = r"""() => {
  const found = [];
  const urlAttributes = %s;
  const forbidden = %s;
  const htmx = /^(data-)?hx-(get|post|put|patch|delete|trigger|on|vals|vars|headers|include|ext|request)/;
  const bad = /^(javascript|vbscript|data):/i;
  const invisible = /[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028-\u202e\ufeff]/g;
  for (const el of document.querySelectorAll("*")) {
    const name = el.localName.toLowerCase();
    const where = "<" + name + ">";
    if (name === "script") {
      const src = el.getAttribute("src") || "";
      const local = src.startsWith("/") && !src.startsWith("//");
      if (!local || el.textContent.trim()) found.push(where + " script " + el.outerHTML.slice(0, 120));
    }
    if (forbidden.includes(name)) found.push(where + " element " + el.outerHTML.slice(0, 120));
    if (name === "meta" && el.hasAttribute("http-equiv")) found.push(where + " http-equiv");
    if (name === "link" && !(el.getAttribute("href") || "").startsWith("/")) found.push(where + " external link");
    for (const attr of el.attributes) {
      const n = attr.name.toLowerCase();
      const v = attr.value;
      if (n.startsWith("on")) found.push(where + " event handler " + n + "=" + v.slice(0, 80));
      else if (urlAttributes.includes(n) && bad.test(v.replace(invisible, ""))) found.push(where + " " + n + "=" + v.slice(0, 80));
      else if (htmx.test(n)) found.push(where + " htmx " + n + "=" + v.slice(0, 80));
    }
  }
  return found;
}"""


def dom_check_script() -> str:
    import json

    return DOM_CHECK % (json.dumps(sorted(URL_ATTRIBUTES)), json.dumps(sorted(FORBIDDEN_ELEMENTS)))


def strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in (*strings(key), *strings(value))]
    if isinstance(data, list | tuple):
        return [s for item in data for s in strings(item)]
    return []


def answer_texts(content_type: str, body: str) -> list[str]:
    """The strings a response carries: texts() for HTML, decoded strings for JSON, YAML and
    Atom, the body for CSV and the rest."""
    import json

    if content_type.startswith("text/html"):
        return texts(parse(body))
    if "json" in content_type:
        return strings(json.loads(body))
    if "yaml" in content_type:
        import yaml

        return strings(yaml.safe_load(body))
    if "xml" in content_type:
        import defusedxml.ElementTree as ET

        root = ET.fromstring(body.encode("utf-8"))
        return [t for el in root.iter() for t in (el.text or "", *el.attrib.values())]
    return [body]


def feed_html(body: str) -> list[str]:
    """The HTML a feed reader renders: the text of every Atom element of type="html"."""
    import defusedxml.ElementTree as ET

    root = ET.fromstring(body.encode("utf-8"))
    return [el.text or "" for el in root.iter() if el.attrib.get("type") == "html"]
