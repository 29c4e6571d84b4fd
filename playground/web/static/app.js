// The browser playground: send what you do, redraw when the server says something changed.
// Everything drawn from data uses textContent; HTML only ever comes from the server's
// escaping templates.
"use strict";

const $ = (id) => document.getElementById(id);
const token = document.querySelector('meta[name="playground-token"]').content;
const state = {
  member: sessionStorage.getItem("member") || "you",
  channel: sessionStorage.getItem("channel") || document.querySelector('meta[name="playground-home"]').content,
  messagesHtml: "",
  suggestions: [],
  picked: -1,
  completionSeq: 0,
};

async function act(action, fields) {
  const notes = $("notes");
  notes.className = "notes busy";
  notes.textContent = "Rostrum is thinking…";
  let answer;
  try {
    const response = await fetch("/act", {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Playground-Token": token},
      body: JSON.stringify({action, member: state.member, channel: state.channel, ...fields}),
    });
    if (!response.ok) {
      showNotes([await response.text()], true);
      return;
    }
    answer = await response.json();
  } catch (error) {
    showNotes(["The playground is not answering (was it stopped?)."], true);
    return;
  }
  showNotes(answer.notes, answer.failed);
  if (answer.channel && answer.channel !== state.channel) {
    setChannel(answer.channel);
  }
  if (answer.modal) {
    openModal(answer.modal);
  }
  await refresh();
}

function showNotes(lines, failed) {
  const notes = $("notes");
  notes.className = failed ? "notes failed" : "notes";
  notes.textContent = (lines || []).join("\n");
}

function setChannel(id) {
  state.channel = String(id);
  sessionStorage.setItem("channel", state.channel);
  state.messagesHtml = "";
}

async function refresh() {
  const query = new URLSearchParams({member: state.member, channel: state.channel});
  let view;
  try {
    const response = await fetch("/view?" + query.toString());
    view = await response.json();
  } catch (error) {
    return;
  }
  state.channel = view.channel;
  $("title").textContent = view.title;
  $("topic").textContent = view.topic;
  $("channels").innerHTML = view.channels;
  $("moderator").checked = view.moderator;
  pickLocale($("locale"), view.locale);
  pickLocale($("server-locale"), view.server_locale);
  const problems = $("problems");
  problems.hidden = view.problem_count === 0;
  problems.textContent = view.problem_count === 0 ? ""
    : "⚠ The bot sent " + view.problem_count
      + (view.problem_count === 1 ? " request" : " requests") + " Discord would reject (latest: "
      + view.problems.join(" · ") + "). Details are in the log.";
  $("line").disabled = !view.writable;
  $("line").placeholder = view.writable ? "Type / for commands, or a message"
    : "This thread is closed.";
  const pane = $("messages");
  const focused = pane.contains(document.activeElement) && document.activeElement.tagName === "SELECT";
  if (view.messages !== state.messagesHtml && !focused) {
    const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80 || !state.messagesHtml;
    pane.innerHTML = view.messages;
    state.messagesHtml = view.messages;
    for (const embed of pane.querySelectorAll(".embed[data-colour]")) {
      embed.style.borderLeftColor = embed.dataset.colour;
    }
    tick();
    if (atBottom) pane.scrollTop = pane.scrollHeight;
  }
}

function pickLocale(select, locale) {
  for (const option of select.options) {
    option.selected = option.dataset.locale === locale;
  }
}

// ------------------------------------------------------------------ timestamps

function tick() {
  const now = Date.now() / 1000;
  for (const time of document.querySelectorAll('time[data-style="R"]')) {
    const delta = Math.round(Number(time.dataset.ts) - now);
    const amount = Math.abs(delta);
    let span;
    if (amount < 60) span = amount + " s";
    else if (amount < 3600) span = Math.floor(amount / 60) + " min";
    else if (amount < 86400) span = Math.floor(amount / 3600) + " h";
    else span = Math.floor(amount / 86400) + " days";
    time.textContent = delta >= 0 ? "in " + span : span + " ago";
  }
}

// ------------------------------------------------------------------ typing with autocomplete

async function complete() {
  const input = $("line");
  const text = input.value.slice(0, input.selectionStart);
  const seq = ++state.completionSeq;
  if (!text.trimStart().startsWith("/")) {
    showSuggestions([]);
    return;
  }
  const query = new URLSearchParams({member: state.member, channel: state.channel, text});
  try {
    const response = await fetch("/complete?" + query.toString());
    const found = await response.json();
    if (seq === state.completionSeq) showSuggestions(found);
  } catch (error) {
    showSuggestions([]);
  }
}

function showSuggestions(found) {
  state.suggestions = found;
  state.picked = -1;
  const list = $("suggestions");
  list.replaceChildren();
  found.forEach((suggestion, index) => {
    const item = document.createElement("li");
    item.setAttribute("role", "option");
    item.dataset.index = String(index);
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = suggestion.label;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = suggestion.meta;
    item.append(label, meta);
    list.append(item);
  });
  list.hidden = found.length === 0;
}

function highlight(index) {
  state.picked = index;
  $("suggestions").querySelectorAll("li").forEach((item, i) => {
    item.classList.toggle("picked", i === index);
    if (i === index) item.scrollIntoView({block: "nearest"});
  });
}

function accept(index) {
  const suggestion = state.suggestions[index];
  if (!suggestion) return;
  const input = $("line");
  const cursor = input.selectionStart;
  const before = input.value.slice(0, cursor + suggestion.start);
  const after = input.value.slice(cursor);
  const spacer = suggestion.text.endsWith(":") || after.startsWith(" ") ? "" : " ";
  input.value = before + suggestion.text + spacer + after;
  const at = before.length + suggestion.text.length + spacer.length;
  input.setSelectionRange(at, at);
  input.focus();
  complete();
}

function onKey(event) {
  const count = state.suggestions.length;
  if (event.key === "ArrowDown" && count) {
    event.preventDefault();
    highlight((state.picked + 1) % count);
  } else if (event.key === "ArrowUp" && count) {
    event.preventDefault();
    highlight((state.picked - 1 + count) % count);
  } else if (event.key === "Tab" && count) {
    event.preventDefault();
    accept(state.picked >= 0 ? state.picked : 0);
  } else if (event.key === "Escape") {
    showSuggestions([]);
  } else if (event.key === "Enter") {
    event.preventDefault();
    if (state.picked >= 0 && count) {
      accept(state.picked);
      return;
    }
    const line = $("line").value.trim();
    if (!line) return;
    $("line").value = "";
    state.completionSeq++;  // a suggestion list still on its way is for the old text
    showSuggestions([]);
    act("line", {line});
  }
}

// ------------------------------------------------------------------ modals

function openModal(modal) {
  const dialog = $("modal");
  $("modal-title").textContent = modal.title || "Form";
  const fields = $("modal-fields");
  fields.replaceChildren();
  for (const input of modal.inputs) {
    const label = document.createElement("label");
    const caption = document.createElement("span");
    caption.textContent = input.label + (input.required ? " *" : "");
    const box = document.createElement(input.paragraph ? "textarea" : "input");
    box.name = input.id;
    box.value = input.value;
    box.placeholder = input.placeholder;
    box.required = input.required;
    if (input.min) box.minLength = input.min;
    box.maxLength = input.max;
    if (input.paragraph) box.rows = 5;
    label.append(caption, box);
    fields.append(label);
  }
  dialog.dataset.modal = modal.id;
  dialog.showModal();
  const first = fields.querySelector("input, textarea");
  if (first) first.focus();
}

function submitModal(event) {
  event.preventDefault();
  const form = $("modal-form");
  if (!form.reportValidity()) return;
  const fields = {};
  for (const box of form.querySelectorAll("input, textarea")) fields[box.name] = box.value;
  const dialog = $("modal");
  dialog.close();
  act("modal", {modal: dialog.dataset.modal, fields});
}

// ------------------------------------------------------------------ wiring

function messageOf(element) {
  return element.closest("[data-message]").dataset.message;
}

function wire() {
  $("member").value = state.member;
  $("member").addEventListener("change", (event) => {
    state.member = event.target.value;
    sessionStorage.setItem("member", state.member);
    state.messagesHtml = "";
    refresh();
  });
  $("moderator").addEventListener("change", (event) => act("moderator", {value: event.target.checked}));
  $("locale").addEventListener("change", (event) => act("language", {value: event.target.value}));
  $("server-locale").addEventListener("change", (event) => act("server-language", {value: event.target.value}));
  $("channels").addEventListener("click", (event) => {
    const button = event.target.closest("[data-channel]");
    if (!button) return;
    setChannel(button.dataset.channel);
    refresh();
  });
  $("messages").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-custom-id]");
    if (button) {
      act("click", {message: messageOf(button), custom_id: button.dataset.customId});
      return;
    }
    const apply = event.target.closest("button[data-select]");
    if (apply) {
      const menu = apply.parentElement.querySelector('select[data-custom-id="' + CSS.escape(apply.dataset.select) + '"]');
      const values = Array.from(menu.selectedOptions).map((option) => option.value);
      act("select", {message: messageOf(apply), custom_id: apply.dataset.select, values});
    }
  });
  $("messages").addEventListener("change", (event) => {
    const menu = event.target.closest("select[data-custom-id]");
    if (!menu || menu.multiple) return;
    act("select", {message: messageOf(menu), custom_id: menu.dataset.customId, values: [menu.value]});
  });
  const input = $("line");
  input.addEventListener("input", complete);
  input.addEventListener("keydown", onKey);
  $("suggestions").addEventListener("mousedown", (event) => {
    const item = event.target.closest("li[data-index]");
    if (!item) return;
    event.preventDefault();
    accept(Number(item.dataset.index));
  });
  $("modal-form").addEventListener("submit", submitModal);
  $("modal-cancel").addEventListener("click", () => $("modal").close());
  let pending = null;
  const events = new EventSource("/events");
  events.addEventListener("change", () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh(); }, 80);
  });
  setInterval(tick, 1000);
  refresh();
  input.focus();
}

document.addEventListener("DOMContentLoaded", wire);
