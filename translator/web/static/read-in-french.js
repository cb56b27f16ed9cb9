/*!
 * read-in-french.js: a "Read in French" button for one article, served by the translator service.
 *
 *   <script src="https://SERVICE/static/read-in-french.js" data-article-id="123"
 *           data-target="#article-body" data-title="#article-title" defer></script>
 *
 * data-article-id  article id in the service (required)
 * data-target      CSS selector of the article body container (required); its paragraphs are its
 *                  <p> children, else all its <p> descendants, else its non-blank child nodes
 * data-title       CSS selector of the headline to translate too (optional)
 * data-api-base    service base URL (default: where this script is served from, minus /static/...)
 * data-timeout     seconds to wait for the translation, polling included (default 60)
 * data-lang        the language to translate into (default fr): fr, or the target of another
 *                  en-* pair the service serves; the default button text names it ("Read in German")
 * data-label-translate, data-label-restore, data-label-progress, data-label-rest, data-label-error: UI texts
 * data-label-notice, data-label-reviewed  the machine-translation notice shown with the French
 *                  (default "Traduction automatique", and "relue par la rédaction" once editors
 *                  reviewed every segment), in the target language, linked to the French page
 * data-default-style="off"  do not add the small default stylesheet (for sites that style
 *                  .rif, .rif-button and .rif-status themselves)
 *
 * While the service translates, its 202 answers carry the paragraphs finished so far ("partial", in
 * reading order): each French paragraph replaces its English one as soon as it arrives, and the
 * status says the rest is being translated.
 *
 * No dependencies. Text from the service is only ever inserted as text nodes, never as HTML.
 * HTML articles (the service answers "format": "html"): each block of the page (p, h1-h6, li,
 * blockquote, figcaption, td/th, dt/dd, caption) is swapped with the French block of the stored
 * article it matches (same element type, in order, English text similar enough); the French nodes are
 * rebuilt here, element by element, from the service's sanitised HTML parsed with DOMParser, keeping
 * only allowlisted elements and attributes. Blocks that match nothing (ads, embeds) stay untouched.
 */
(function () {
  "use strict";

  const DEFAULT_LANG = "fr";
  // Names for the default "Read in ..." label; other languages use the browser's own name for them.
  const LANGUAGE_NAMES = Object.freeze({
    fr: "French", de: "German", es: "Spanish", it: "Italian", pt: "Portuguese", nl: "Dutch",
    ar: "Arabic", zh: "Chinese", ru: "Russian", ja: "Japanese", hi: "Hindi",
  });
  const DEFAULT_LABELS = Object.freeze({
    restore: "Read in English",
    progress: "Translating\u2026",
    rest: "Translating the rest\u2026",
    error: "Translation unavailable, please try again later.",
  });

  /** "Read in <language>" for a language code. */
  function translateLabel(lang) {
    let name = LANGUAGE_NAMES[lang];
    if (!name) {
      try {
        name = new Intl.DisplayNames(["en"], { type: "language" }).of(lang);
      } catch (error) {
        name = lang;
      }
    }
    return "Read in " + name;
  }
  // The notice is in the language the reader is now reading.
  const NOTICE_LABELS = Object.freeze({
    fr: { notice: "Traduction automatique", reviewed: "relue par la rédaction" },
    de: { notice: "Maschinelle Übersetzung", reviewed: "von der Redaktion geprüft" },
    es: { notice: "Traducción automática", reviewed: "revisada por la redacción" },
    en: { notice: "Machine translation", reviewed: "reviewed by the newsroom" },
  });
  const DEFAULT_TIMEOUT_S = 60;
  // The service answers 202 with Retry-After while it translates; bound what we honour so a
  // bad header neither hammers the service nor leaves the reader waiting for minutes.
  const MIN_RETRY_S = 1;
  const MAX_RETRY_S = 10;
  const DEFAULT_RETRY_S = 2; // when Retry-After is missing or not exposed through CORS
  const STYLE_ID = "rif-default-style";
  // :where() keeps specificity at zero so any site rule wins.
  const DEFAULT_CSS =
    ":where(.rif){display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:.75em 0}" +
    ":where(.rif-button){font:inherit;font-size:.9em;line-height:1.4;padding:.3em .9em;" +
    "border:1px solid currentColor;border-radius:1em;background:transparent;color:inherit;cursor:pointer}" +
    ":where(.rif-button[aria-disabled=\"true\"]){cursor:progress;opacity:.65}" +
    ":where(.rif-status){font-size:.9em}" +
    ":where(.rif-notice){font-size:.85em;opacity:.85}:where(.rif-notice a){color:inherit}" +
    ":where(.rif-status--error){color:#b3261e}";
  const READY_ATTRIBUTE = "data-rif-ready";

  class TranslationFailure extends Error {}

  function warn(message, detail) {
    if (window.console && typeof window.console.warn === "function") {
      window.console.warn("read-in-french: " + message, detail === undefined ? "" : detail);
    }
  }

  /** Base URL of the service: data-api-base, else the script's origin plus any path before /static/. */
  function apiBaseOf(script) {
    const override = script.getAttribute("data-api-base");
    if (override) {
      return new URL(override, document.baseURI).href.replace(/\/+$/, "");
    }
    const src = new URL(script.src, document.baseURI);
    const prefix = src.pathname.match(/^(.*)\/static\/[^/]+$/);
    return src.origin + (prefix ? prefix[1] : "");
  }

  function readConfig(script) {
    const data = script.dataset;
    const timeout = Number(data.timeout);
    const lang = (data.lang || "").trim().toLowerCase() || DEFAULT_LANG;
    return {
      lang: lang,
      articleId: (data.articleId || "").trim(),
      targetSelector: (data.target || "").trim(),
      titleSelector: (data.title || "").trim(),
      apiBase: apiBaseOf(script),
      timeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000,
      labels: {
        translate: data.labelTranslate || translateLabel(lang),
        restore: data.labelRestore || DEFAULT_LABELS.restore,
        progress: data.labelProgress || DEFAULT_LABELS.progress,
        rest: data.labelRest || DEFAULT_LABELS.rest,
        error: data.labelError || DEFAULT_LABELS.error,
        notice: data.labelNotice || (NOTICE_LABELS[lang] || NOTICE_LABELS.en).notice,
        reviewed: data.labelReviewed || (NOTICE_LABELS[lang] || NOTICE_LABELS.en).reviewed,
      },
      defaultStyle: data.defaultStyle !== "off",
    };
  }

  /** Seconds to wait after a 202, from Retry-After (delta-seconds or HTTP date), clamped. */
  function retryDelayMs(header) {
    let seconds = DEFAULT_RETRY_S;
    const value = (header || "").trim();
    if (/^\d+$/.test(value)) {
      seconds = Number(value);
    } else if (value) {
      const date = Date.parse(value);
      if (!Number.isNaN(date)) {
        seconds = (date - Date.now()) / 1000;
      }
    }
    return Math.min(MAX_RETRY_S, Math.max(MIN_RETRY_S, seconds)) * 1000;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** One GET of the translation, aborted at the deadline (the response body included). */
  async function requestOnce(url, deadline) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
    try {
      const response = await fetch(url, {
        method: "GET",
        mode: "cors",
        credentials: "omit",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      const pending = response.status === 202;
      let body = response.ok && !pending ? await response.json() : null;
      if (pending) {
        body = await response.json().catch(() => null); // a 202 without JSON is still pending
      }
      return { status: response.status, pending: pending, retryAfter: response.headers.get("Retry-After"), body: body };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new TranslationFailure("no answer before the timeout");
      }
      throw new TranslationFailure("request failed: " + error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The French {title, paragraphs} from a translation response, or a TranslationFailure. */
  function parseTranslation(body) {
    if (!body || typeof body !== "object") {
      throw new TranslationFailure("the response is not a JSON object");
    }
    if (body.format === "html") {
      return parseHtmlTranslation(body);
    }
    let paragraphs = body.paragraphs;
    if (!Array.isArray(paragraphs) && typeof body.body === "string") {
      paragraphs = body.body.split(/\n[ \t]*\n\s*/);
    }
    if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === "string")) {
      throw new TranslationFailure("the response has no list of paragraphs");
    }
    const title = typeof body.title === "string" && body.title.trim() !== "" ? body.title : null;
    return { title: title, paragraphs: paragraphs, reviewed: body.reviewed === true };
  }

  /** The {title, paragraphs} finished so far from a 202's "partial", or null when absent or malformed. */
  function parsePartial(body) {
    const partial = body && typeof body === "object" ? body.partial : null;
    if (!partial || typeof partial !== "object") {
      return null;
    }
    const paragraphs = partial.paragraphs;
    if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === "string")) {
      warn("ignoring a malformed partial translation", partial);
      return null;
    }
    const title = typeof partial.title === "string" && partial.title.trim() !== "" ? partial.title : null;
    if (body.format === "html") {
      // The blocks finished so far, each with its English text for the matching (as in the final answer).
      const sources = partial.source_blocks;
      if (!Array.isArray(sources) || sources.length !== paragraphs.length ||
          !sources.every((s) => typeof s === "string")) {
        warn("ignoring a malformed partial translation", partial);
        return null;
      }
      return { title: title, html: true, blocks: paragraphs, sources: sources };
    }
    return { title: title, paragraphs: paragraphs };
  }

  // -- HTML articles ------------------------------------------------------------------------------

  const BLOCK_TAGS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "BLOCKQUOTE", "FIGCAPTION", "TD",
    "TH", "DT", "DD", "CAPTION"]);
  // What the service's sanitiser allows; anything else is unwrapped, or dropped with its content.
  const ALLOWED_TAGS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "BLOCKQUOTE", "FIGCAPTION", "TD",
    "TH", "DT", "DD", "CAPTION", "A", "STRONG", "EM", "B", "I", "SPAN", "CODE", "SUP", "SUB", "BR", "ABBR", "Q",
    "MARK", "SMALL", "TIME", "PRE", "KBD", "SAMP", "VAR", "IMG", "FIGURE", "TABLE", "THEAD", "TBODY", "TR", "UL",
    "OL", "DL"]);
  const DROPPED_TAGS = new Set(["SCRIPT", "STYLE", "IFRAME", "OBJECT", "EMBED", "SVG", "MATH", "NOSCRIPT",
    "TEMPLATE", "TEXTAREA", "SELECT", "BUTTON"]);
  const ALLOWED_ATTRIBUTES = new Set(["href", "src", "alt", "title", "datetime", "lang", "translate", "class",
    "target", "colspan", "rowspan"]);
  const URL_ATTRIBUTES = new Set(["href", "src"]);
  // Page and stored English blocks are paired when this share of their words is common (Dice).
  const MIN_SIMILARITY = 0.5;

  function parseHtmlTranslation(body) {
    const blocks = body.paragraphs;
    const sources = body.source_blocks;
    const strings = (list) => Array.isArray(list) && list.every((item) => typeof item === "string");
    if (!strings(blocks) || !strings(sources) || blocks.length !== sources.length) {
      throw new TranslationFailure("the HTML response has no matching lists of blocks");
    }
    const title = typeof body.title === "string" && body.title.trim() !== "" ? body.title : null;
    return { title: title, html: true, blocks: blocks, sources: sources };
  }

  /** The French of an HTML answer (final or partial) as blocks ready to swap in, each with its English text. */
  function htmlFrench(translation) {
    return {
      title: translation.title,
      html: true,
      blocks: translation.blocks
        .map((html, i) => ({ element: frenchBlock(html), source: translation.sources[i] }))
        .filter((item) => item.element !== null)
        .map((item) => ({ element: item.element, source: item.source, tag: item.element.tagName.toUpperCase() })),
    };
  }

  function safeUrl(value) {
    const compact = value.replace(/[\u0000-\u0020]+/g, "").toLowerCase();
    const scheme = compact.match(/^([a-z][a-z0-9+.-]*):/);
    return !scheme || ["http", "https", "mailto"].includes(scheme[1]);
  }

  /** A copy of ``node`` made of allowlisted elements and attributes only (a fragment may come back). */
  function rebuild(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      return document.createTextNode(node.data);
    }
    if (node.nodeType !== Node.ELEMENT_NODE || DROPPED_TAGS.has(node.tagName.toUpperCase())) {
      return null;
    }
    const tag = node.tagName.toUpperCase();
    const copy = ALLOWED_TAGS.has(tag) ? document.createElement(tag.toLowerCase()) : document.createDocumentFragment();
    if (ALLOWED_TAGS.has(tag)) {
      for (const attribute of Array.from(node.attributes)) {
        const name = attribute.name.toLowerCase();
        if (ALLOWED_ATTRIBUTES.has(name) && (!URL_ATTRIBUTES.has(name) || safeUrl(attribute.value))) {
          copy.setAttribute(name, attribute.value);
        }
      }
      if (tag === "A" && copy.hasAttribute("target")) {
        copy.setAttribute("rel", "noopener noreferrer");
      }
    }
    node.childNodes.forEach((child) => {
      const built = rebuild(child);
      if (built) {
        copy.appendChild(built);
      }
    });
    return copy;
  }

  /** The French block element built from one block of sanitised service HTML, or null. */
  function frenchBlock(html) {
    const parsed = new DOMParser().parseFromString("<!DOCTYPE html><body>" + html, "text/html");
    const element = parsed.body.firstElementChild;
    if (!element || !BLOCK_TAGS.has(element.tagName.toUpperCase())) {
      return null;
    }
    return rebuild(element);
  }

  /** Block elements inside ``root`` that are inside no other block, in document order. */
  function outermostBlocks(root) {
    const found = [];
    const visit = (element) => {
      for (const child of Array.from(element.children)) {
        if (BLOCK_TAGS.has(child.tagName.toUpperCase())) {
          found.push(child);
        } else {
          visit(child);
        }
      }
    };
    visit(root);
    return found;
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word !== "");
  }

  function similarity(a, b) {
    const left = words(a);
    const right = words(b);
    if (left.length === 0 || right.length === 0) {
      return left.length === right.length ? 1 : 0;
    }
    const counts = new Map();
    left.forEach((word) => counts.set(word, (counts.get(word) || 0) + 1));
    let common = 0;
    right.forEach((word) => {
      const count = counts.get(word) || 0;
      if (count > 0) {
        common += 1;
        counts.set(word, count - 1);
      }
    });
    return (2 * common) / (left.length + right.length);
  }

  /**
   * Pairs of [page block, French block]: per element type, in order, each page block with the next
   * stored block whose English is similar enough; a page block with no such block is left out.
   */
  function matchBlocks(pageBlocks, french) {
    const pairs = [];
    const nextByTag = new Map();
    pageBlocks.forEach((block) => {
      const tag = block.tagName.toUpperCase();
      const candidates = french.filter((item) => item.tag === tag);
      for (let k = nextByTag.get(tag) || 0; k < candidates.length; k++) {
        if (similarity(block.textContent, candidates[k].source) >= MIN_SIMILARITY) {
          pairs.push([block, candidates[k].element]);
          nextByTag.set(tag, k + 1);
          break;
        }
      }
    });
    return pairs;
  }

  /** Fetches the translation, following 202 + Retry-After until it is ready or the time is up;
   *  onPartial gets what each 202 says is finished so far. */
  async function fetchTranslation(url, timeoutMs, onPartial) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await requestOnce(url, deadline);
      if (answer.pending) {
        const partial = parsePartial(answer.body);
        if (partial) {
          onPartial(partial);
        }
        const delay = retryDelayMs(answer.retryAfter);
        if (Date.now() + delay >= deadline) {
          throw new TranslationFailure("still pending at the timeout");
        }
        await sleep(delay);
        continue;
      }
      if (answer.status < 200 || answer.status > 299) {
        throw new TranslationFailure("HTTP " + answer.status);
      }
      return parseTranslation(answer.body);
    }
  }

  /** The article's paragraphs as they are in the page: <p> children, <p> descendants, or child nodes. */
  function paragraphsOf(container) {
    let nodes = container.querySelectorAll(":scope > p");
    if (nodes.length === 0) {
      nodes = container.querySelectorAll("p");
    }
    if (nodes.length > 0) {
      return Array.from(nodes);
    }
    return Array.from(container.childNodes).filter(
      (node) => node.nodeType === Node.ELEMENT_NODE || (node.nodeType === Node.TEXT_NODE && node.data.trim() !== "")
    );
  }

  /** Remembers an attribute so it can be put back exactly as it was (absent included). */
  function saveAttribute(element, name) {
    return { element: element, name: name, value: element.getAttribute(name) };
  }

  function restoreAttribute(saved) {
    if (saved.value === null) {
      saved.element.removeAttribute(saved.name);
    } else {
      saved.element.setAttribute(saved.name, saved.value);
    }
  }

  function ensureDefaultStyle() {
    if (document.getElementById(STYLE_ID)) {
      return;
    }
    const style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = DEFAULT_CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  class ReadInFrench {
    constructor(config, container, titleElement) {
      this.config = config;
      this.container = container;
      this.titleElement = titleElement;
      this.url =
        config.apiBase + "/v1/articles/" + encodeURIComponent(config.articleId) + "/translations/" +
        encodeURIComponent(config.lang);
      this.pageUrl = config.apiBase + "/articles/" + encodeURIComponent(config.articleId) + "/" +
        encodeURIComponent(config.lang);
      this.french = null; // {title, paragraphs: [string]} once fetched; reused on later toggles
      this.shown = null; // what showFrench/showPartial swapped in, for showEnglish to undo
      this.showingFrench = false;
      this.busy = false;
    }

    mount() {
      const labels = this.config.labels;
      this.root = document.createElement("div");
      this.root.className = "rif";
      this.button = document.createElement("button");
      this.button.type = "button";
      this.button.className = "rif-button";
      this.button.textContent = labels.translate;
      if (this.container.id) {
        this.button.setAttribute("aria-controls", this.container.id);
      }
      this.status = document.createElement("span");
      this.status.className = "rif-status";
      this.status.setAttribute("role", "status");
      this.status.setAttribute("aria-live", "polite");
      this.root.append(this.button, this.status);
      this.setState("english");
      this.button.addEventListener("click", () => {
        this.toggle();
      });
      this.container.parentNode.insertBefore(this.root, this.container);
    }

    setState(state) {
      this.root.setAttribute("data-state", state);
    }

    setStatus(text, kind) {
      this.status.textContent = text;
      this.status.className = "rif-status" + (kind ? " rif-status--" + kind : "");
    }

    async toggle() {
      if (this.busy) {
        return;
      }
      if (this.showingFrench) {
        this.showEnglish();
      } else if (this.french) {
        this.showFrench();
      } else {
        await this.load();
      }
    }

    async load() {
      const labels = this.config.labels;
      this.busy = true;
      // aria-disabled rather than disabled: the button keeps keyboard focus while we wait.
      this.button.setAttribute("aria-disabled", "true");
      const busyAttribute = saveAttribute(this.container, "aria-busy");
      this.container.setAttribute("aria-busy", "true");
      this.setState("loading");
      this.setStatus(labels.progress, "busy");
      try {
        const translation = await fetchTranslation(this.url, this.config.timeoutMs, (partial) => {
          if (partial.html) {
            // The blocks finished so far take their English blocks' places; the final answer redoes them.
            if (this.shown) {
              this.showEnglish();
            }
            this.french = htmlFrench(partial);
            this.swapInBlocks();
          } else {
            this.swapIn(partial, false);
          }
          this.setState("partial");
          this.setStatus(labels.rest, "busy");
        });
        if (translation.html) {
          if (this.shown) {
            this.showEnglish();
          }
          this.french = htmlFrench(translation);
          this.setStatus("", null);
          this.showFrench();
          return;
        }
        if (translation.paragraphs.length === 0 && this.englishParagraphs().length > 0) {
          throw new TranslationFailure("the translation has no paragraphs");
        }
        if (this.shown && !translation.paragraphs.slice(0, this.shown.french.length).every(
          (text, i) => text === this.shown.french[i].textContent)) {
          this.showEnglish(); // the final text differs from what was shown (a new version): start over
        }
        this.french = translation;
        this.setStatus("", null);
        this.showFrench();
      } catch (error) {
        const reason = error instanceof TranslationFailure ? error.message : String(error);
        warn("no translation for article " + JSON.stringify(this.config.articleId) + " from " + this.url, reason);
        if (this.shown) {
          this.showEnglish(); // never leave a half-French article behind
        }
        this.setState("error");
        this.setStatus(labels.error, "error");
      } finally {
        restoreAttribute(busyAttribute);
        this.button.removeAttribute("aria-disabled");
        this.busy = false;
      }
    }

    englishParagraphs() {
      return paragraphsOf(this.container);
    }

    /** Swaps paragraph i for French paragraph i, from the first not yet swapped to the last of
     *  ``translation`` (one replaceWith each: a paragraph is English or French, never half of both).
     *  ``complete``: extra French paragraphs follow, extra English ones leave a marker, the container
     *  becomes lang="fr". */
    swapIn(translation, complete) {
      if (!this.shown) {
        this.shown = { english: this.englishParagraphs(), french: [], placeholders: [], title: null, attributes: [] };
      }
      const shown = this.shown;
      const english = shown.english;
      for (let i = shown.french.length; i < translation.paragraphs.length; i++) {
        const paragraph = document.createElement("p");
        paragraph.textContent = translation.paragraphs[i];
        if (!complete) {
          paragraph.setAttribute("lang", this.config.lang); // its neighbours are still English
        }
        if (i < english.length) {
          english[i].replaceWith(paragraph);
        } else if (i === 0) {
          this.container.append(paragraph);
        } else {
          shown.french[i - 1].after(paragraph);
        }
        shown.french.push(paragraph);
      }
      if (this.titleElement && translation.title !== null && shown.title === null) {
        shown.title = Array.from(this.titleElement.childNodes);
        shown.attributes.push(saveAttribute(this.titleElement, "lang"));
        this.titleElement.replaceChildren(document.createTextNode(translation.title));
        this.titleElement.setAttribute("lang", this.config.lang);
      }
      if (complete) {
        shown.french.forEach((paragraph) => paragraph.removeAttribute("lang"));
        for (let i = shown.french.length + shown.placeholders.length; i < english.length; i++) {
          const marker = document.createComment("read-in-french");
          english[i].replaceWith(marker);
          shown.placeholders.push(marker);
        }
        shown.attributes.push(saveAttribute(this.container, "lang"));
        this.container.setAttribute("lang", this.config.lang);
      }
    }

    /** HTML articles: swaps each page block for the French block it matches; the rest stays. */
    swapInBlocks() {
      const pairs = matchBlocks(outermostBlocks(this.container), this.french.blocks);
      pairs.forEach(([english, french]) => english.replaceWith(french));
      const shown = { pairs: pairs, title: null, attributes: [] };
      if (this.titleElement && this.french.title !== null) {
        shown.title = Array.from(this.titleElement.childNodes);
        shown.attributes.push(saveAttribute(this.titleElement, "lang"));
        this.titleElement.replaceChildren(document.createTextNode(this.french.title));
        this.titleElement.setAttribute("lang", this.config.lang);
      }
      shown.attributes.push(saveAttribute(this.container, "lang"));
      this.container.setAttribute("lang", this.config.lang);
      this.shown = shown;
    }

    showFrench() {
      if (this.french.html) {
        this.swapInBlocks();
      } else {
        this.swapIn(this.french, true);
      }
      this.showingFrench = true;
      this.button.textContent = this.config.labels.restore;
      this.root.append(this.notice());
      this.setState("french");
    }

    /** The machine-translation notice (built once), linked to the service's French page. */
    notice() {
      if (!this.noticeElement) {
        const labels = this.config.labels;
        const notice = document.createElement("p");
        notice.className = "rif-notice";
        notice.setAttribute("lang", this.config.lang);
        const link = document.createElement("a");
        link.href = this.pageUrl;
        link.textContent = labels.notice;
        notice.append(link);
        if (this.french.reviewed) {
          notice.append(document.createTextNode(" \u00b7 " + labels.reviewed));
          notice.setAttribute("data-reviewed", "");
        }
        this.noticeElement = notice;
      }
      return this.noticeElement;
    }

    /** Puts the original nodes back where they were; no request. */
    showEnglish() {
      const shown = this.shown;
      if (shown.pairs) {
        shown.pairs.forEach(([english, french]) => french.replaceWith(english));
      } else {
        const english = shown.english;
        const shared = Math.min(english.length, shown.french.length);
        for (let i = 0; i < shared; i++) {
          shown.french[i].replaceWith(english[i]);
        }
        shown.french.slice(shared).forEach((paragraph) => paragraph.remove());
        shown.placeholders.forEach((marker, i) => marker.replaceWith(english[shared + i]));
      }
      if (shown.title !== null) {
        this.titleElement.replaceChildren(...shown.title);
      }
      shown.attributes.reverse().forEach(restoreAttribute);
      if (this.noticeElement) {
        this.noticeElement.remove();
      }
      this.shown = null;
      this.showingFrench = false;
      this.button.textContent = this.config.labels.translate;
      this.setState("english");
    }
  }

  function query(selector, what) {
    try {
      return document.querySelector(selector);
    } catch (error) {
      warn("invalid " + what + " selector " + JSON.stringify(selector));
      return null;
    }
  }

  function setUp(script) {
    script.setAttribute(READY_ATTRIBUTE, "");
    const config = readConfig(script);
    if (!config.articleId || !config.targetSelector) {
      warn("the script tag needs data-article-id and data-target");
      return;
    }
    const container = query(config.targetSelector, "data-target");
    if (!container || !container.parentNode) {
      warn("no element matches data-target " + JSON.stringify(config.targetSelector));
      return;
    }
    const titleElement = config.titleSelector ? query(config.titleSelector, "data-title") : null;
    if (config.titleSelector && !titleElement) {
      warn("no element matches data-title " + JSON.stringify(config.titleSelector));
    }
    if (config.defaultStyle) {
      ensureDefaultStyle();
    }
    new ReadInFrench(config, container, titleElement).mount();
  }

  /** This script tag; when the browser cannot tell (currentScript is null), every tag not set up yet. */
  function scriptsToSetUp() {
    const current = document.currentScript;
    if (current) {
      return current.hasAttribute(READY_ATTRIBUTE) ? [] : [current];
    }
    return Array.from(document.querySelectorAll("script[data-article-id]:not([" + READY_ATTRIBUTE + "])")).filter(
      (script) => /read-in-french[^/]*\.js(?:[?#]|$)/.test(script.src)
    );
  }

  const scripts = scriptsToSetUp();
  const start = () => scripts.forEach(setUp);
  if (document.readyState === "loading") {
    // A plain or async tag in <head>: the target is not parsed yet.
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
