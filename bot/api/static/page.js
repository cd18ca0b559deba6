// The newsdesk page: asks /ask/stream, shows each answer with its sources, and sends the
// conversation's earlier questions along for follow-ups. Article text is untrusted: it only
// ever becomes text nodes, never markup.
"use strict";

const TOKEN_KEY = "newsdesk-token";
const MAX_HISTORY = 20; // as many earlier questions as the API takes
const FILTERS = ["as_of", "source", "since", "until"];
const UNREACHABLE = "newsdesk can't be reached: check that it is running, then ask again.";
const CUT_OFF = "The answer was cut off: ask again.";

const $ = (selector, root = document) => root.querySelector(selector);
const form = $("#ask");
const question = $("#question");
const send = $("#send");
const turns = $("#turns");
const outlet = $("#outlet");
const dialog = $("#token-dialog");

let history = []; // earlier questions of this conversation, oldest first
let conversation = 0;
let turnCount = 0;
let outletsLoaded = false;

// --- Talking to newsdesk -----------------------------------------------------------------

let tokenPrompt = null;

function askForToken(problem) {
  tokenPrompt ??= new Promise((resolve) => {
    $("#token-problem").textContent = problem;
    $("#token").value = "";
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        const token = $("#token").value.trim();
        const given = dialog.returnValue === "ok" && token !== "";
        if (given) sessionStorage.setItem(TOKEN_KEY, token);
        tokenPrompt = null;
        resolve(given);
      },
      { once: true },
    );
    dialog.showModal();
  });
  return tokenPrompt;
}

$("#token-cancel").addEventListener("click", () => dialog.close("cancel"));

// fetch, with the API token when this tab has one; a 401 asks for it (again) and retries.
async function call(method, path, body) {
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 401) return response;
    if (token && sessionStorage.getItem(TOKEN_KEY) === token) {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    const problem = token ? "That token was not accepted: check it and enter it again." : "";
    if (!(await askForToken(problem))) return response;
  }
}

async function problemOf(response) {
  const said = await response.json().then(
    (body) => body.error,
    () => "",
  );
  if (response.status === 401) {
    return "This newsdesk needs its API token: ask again, and enter the token when asked.";
  }
  if (response.status === 429) {
    const wait = response.headers.get("retry-after");
    return `Too many questions for now: ask again in ${wait ? `${wait} s` : "a minute"}.`;
  }
  return said || `Something went wrong (HTTP ${response.status}): the server log says what.`;
}

// The server-sent events of a response: {name, data} for each.
async function* events(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const lines = buffered.slice(0, end).split("\n");
      buffered = buffered.slice(end + 2);
      const name = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines.filter((line) => line.startsWith("data: ")).map((l) => l.slice(6));
      yield { name, data: JSON.parse(data.join("\n")) };
    }
  }
}

// --- Outlets, for the filter -------------------------------------------------------------

async function loadOutlets() {
  if (outletsLoaded) return; // a retry still pending when another load has succeeded
  let response;
  try {
    response = await call("GET", "/sources");
  } catch {
    response = null;
  }
  if (!response || response.status === 503) {
    setTimeout(loadOutlets, 3000); // still starting: the list comes when it is ready
    return;
  }
  if (!response.ok) return;
  const { sources } = await response.json();
  outlet.replaceChildren(outlet.options[0]);
  for (const { name, articles } of sources) {
    outlet.append(new Option(`${name} (${articles})`, name));
  }
  outletsLoaded = true;
}

function chosenFilters() {
  const data = new FormData(form);
  return Object.fromEntries(FILTERS.filter((name) => data.get(name)).map((n) => [n, data.get(n)]));
}

function countFilters() {
  const count = Object.keys(chosenFilters()).length;
  $("#filters-count").textContent = count ? `(${count} on)` : "";
}

// --- A question and its answer -----------------------------------------------------------

function addTurn(text) {
  const element = $("#turn-template").content.firstElementChild.cloneNode(true);
  turnCount += 1;
  element.id = `turn-${turnCount}`;
  $(".question", element).textContent = text;
  $("#welcome").hidden = true;
  turns.append(element);
  element.scrollIntoView({ block: "start" });
  return {
    id: element.id,
    element,
    text: $(".text", element),
    problem: $(".problem", element),
    sources: $(".sources", element),
    votes: $(".vote", element),
  };
}

async function answerInto(turn, body) {
  let response;
  try {
    response = await call("POST", "/ask/stream", body);
  } catch {
    return fail(turn, UNREACHABLE);
  }
  if (!response.ok) return fail(turn, await problemOf(response));
  if (!outletsLoaded) loadOutlets(); // a token entered just now lets the list load too
  try {
    for await (const { name, data } of events(response)) {
      if (name === "delta") {
        turn.element.classList.add("draft");
        turn.text.append(data.text);
      } else if (name === "answer") {
        showAnswer(turn, data);
        return true;
      } else if (name === "error") {
        return fail(turn, data.error);
      }
    }
  } catch {
    return fail(turn, CUT_OFF);
  }
  return fail(turn, CUT_OFF);
}

function fail(turn, message) {
  turn.text.setAttribute("aria-busy", "false");
  turn.element.classList.add("failed");
  turn.problem.textContent = message;
  turn.problem.hidden = false;
  return false;
}

function showAnswer(turn, answer) {
  turn.element.classList.remove("draft");
  turn.element.classList.toggle("declined", !answer.answered);
  $(".declined-label", turn.element).hidden = answer.answered;
  turn.text.replaceChildren(...withCitationLinks(answer.answer, turn.id, answer.citations));
  turn.text.setAttribute("aria-busy", "false");
  turn.sources.replaceChildren(...answer.citations.map((c) => sourceCard(c, turn.id)));
  turn.sources.hidden = answer.citations.length === 0;
  $(".made-by", turn.element).textContent = madeBy(answer);
  for (const button of turn.votes.querySelectorAll("button")) {
    button.addEventListener("click", () => vote(turn, answer, button.value));
  }
  turn.votes.hidden = false;
}

// The answer's text, each [n] a link that opens source n.
function withCitationLinks(text, turnId, citations) {
  const cited = new Set(citations.map((c) => String(c.n)));
  return text
    .split(/(\[\d+\])/)
    .filter(Boolean)
    .map((part) => {
      const n = /^\[(\d+)\]$/.exec(part)?.[1];
      if (!cited.has(n)) return part;
      const link = document.createElement("a");
      link.className = "cite";
      link.href = `#${turnId}-source-${n}`;
      link.textContent = part;
      link.setAttribute("aria-label", `source ${n}`);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        openSource(`${turnId}-source-${n}`);
      });
      return link;
    });
}

function openSource(id) {
  const card = document.getElementById(id);
  $("details", card).open = true;
  $("summary", card).focus();
  card.scrollIntoView({ block: "nearest" });
}

function sourceCard(citation, turnId) {
  const card = $("#source-template").content.firstElementChild.cloneNode(true);
  card.id = `${turnId}-source-${citation.n}`;
  $(".n", card).textContent = `[${citation.n}]`;
  $(".title", card).textContent = citation.title || citation.article_id;
  $(".outlet", card).textContent = citation.source || "Unknown outlet";
  const date = $(".date", card);
  date.textContent = citation.published_at ?? "undated";
  if (citation.published_at) date.dateTime = citation.published_at;
  $(".passage", card).append(...passageWithQuote(citation));
  const link = $(".url", card);
  const url = webAddress(citation.url);
  if (url) {
    link.href = url;
    link.textContent = url.replace(/^https?:\/\//, "");
  } else {
    link.remove();
  }
  return card;
}

// The passage the quote comes from, the quote marked. Offsets count code points, as Python's do.
function passageWithQuote(citation) {
  const characters = Array.from(citation.passage);
  const at = (offset) => Math.min(Math.max(offset - citation.passage_start, 0), characters.length);
  const [from, to] = [at(citation.start), at(citation.end)];
  const quote = document.createElement("mark");
  quote.textContent = characters.slice(from, to).join("");
  return [characters.slice(0, from).join(""), quote, characters.slice(to).join("")];
}

// Only http(s) addresses become links: an article's url field could hold a script.
function webAddress(text) {
  try {
    const url = new URL(text);
    return ["http:", "https:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function madeBy(answer) {
  const notes = [`generated by ${answer.generated_by}`];
  const dropped = answer.dropped_sentences;
  if (dropped) notes.push(`${dropped} unsupported sentence${dropped > 1 ? "s" : ""} removed`);
  if (answer.fallback) notes.push(`fell back to extractive: ${answer.fallback}`);
  return notes.join(" · ");
}

async function vote(turn, answer, value) {
  const buttons = turn.votes.querySelectorAll("button");
  for (const button of buttons) button.disabled = true;
  const body = {
    question: answer.question,
    answer: answer.answer,
    article_ids: answer.citations.map((c) => c.article_id),
    vote: value,
  };
  let response;
  try {
    response = await call("POST", "/feedback", body);
  } catch {
    response = null;
  }
  if (response?.ok) {
    const thanks = document.createElement("p");
    thanks.className = "thanks";
    thanks.tabIndex = -1; // focus stays where the pressed button was
    thanks.textContent = `Thanks for the feedback (${value === "up" ? "useful" : "not useful"}).`;
    turn.votes.replaceChildren(thanks);
    thanks.focus();
    return;
  }
  for (const button of buttons) button.disabled = false;
  turn.problem.textContent = response ? await problemOf(response) : UNREACHABLE;
  turn.problem.hidden = false;
}

// --- The form ----------------------------------------------------------------------------

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (!text || send.disabled) return;
  const body = { question: text, history: history.slice(-MAX_HISTORY), ...chosenFilters() };
  const asked = conversation;
  const turn = addTurn(text);
  question.value = "";
  send.disabled = true;
  try {
    if ((await answerInto(turn, body)) && asked === conversation) history.push(text);
  } finally {
    send.disabled = false;
  }
});

form.addEventListener("change", countFilters);

$("#new-conversation").addEventListener("click", () => {
  conversation += 1;
  history = [];
  turns.replaceChildren();
  $("#welcome").hidden = false;
  question.focus();
});

loadOutlets();
