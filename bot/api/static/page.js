// The newsdesk page: asks /ask/stream, shows each answer as it comes, sends the conversation's
// earlier questions along for follow-ups, and sends votes.

import { madeBy, sourceCard, withCitationLinks } from "./answer.js";
import { call, events, problemOf, UNREACHABLE } from "./talk.js";

const MAX_HISTORY = 20; // as many earlier questions as the API takes
const FILTERS = ["as_of", "source", "since", "until"];
const CUT_OFF = "The answer was cut off: ask again.";

const $ = (selector, root = document) => root.querySelector(selector);
const form = $("#ask");
const question = $("#question");
const send = $("#send");
const turns = $("#turns");
const outlet = $("#outlet");

let history = []; // earlier questions of this conversation, oldest first
let conversation = 0;
let turnCount = 0;
let outletsLoaded = false;

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
