// Writes coded records (the JSON record of the design brief, char offsets)
// for the browser tests. The articles are invented for these tests; spans
// are found by searching the text, so the offsets are right by construction.
import { writeFileSync } from "node:fs";

// Unicode scalar offset of `needle` (the nth occurrence) in `text`.
function span(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`fixture: ${JSON.stringify(needle)} not in text`);
  }
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(needle).length };
}

const PLACES = {
  Sochi: { geonameid: 491422, country: "RUS", lat: 43.6, lon: 39.73 },
  Damascus: { geonameid: 170654, country: "SYR", lat: 33.51, lon: 36.29 },
  Ankara: { geonameid: 323786, country: "TUR", lat: 39.92, lon: 32.85 },
  Kharkiv: { geonameid: 706483, country: "UKR", lat: 49.98, lon: 36.25 },
  Paris: { geonameid: 2988507, country: "FRA", lat: 48.85, lon: 2.35 },
  Moscow: { geonameid: 524901, country: "RUS", lat: 55.75, lon: 37.62 },
};

function doc(id, title, date, text, events, extra = {}) {
  const actor = (code, surface, name) => Object.assign({ code, text: surface }, span(text, surface), name ? { name } : {});
  const evs = events.map((e) => {
    const ev = {
      plover: e.type, cameo: e.cameo, source: actor(...e.source), flags: e.flags || [],
      evidence: [span(text, e.evidence)], rule: "fixture." + e.type.toLowerCase(),
    };
    if (e.target) ev.target = actor(...e.target);
    if (e.date) ev.date = e.date;
    if (e.place) ev.place = Object.assign({ name: e.place }, PLACES[e.place], span(text, e.place));
    return ev;
  });
  const places = (extra.places || []).map((p) => Object.assign({ text: p, name: p }, PLACES[p], span(text, p)));
  const quotes = (extra.quotes || []).map((q) => ({
    kind: "direct", content: Object.assign({ text: q.content }, span(text, q.content)),
    cue: Object.assign({ text: q.cue }, span(text, q.cue)),
    speaker: Object.assign({ text: q.speaker, actor: q.actor }, span(text, q.speaker)),
  }));
  return {
    id, source: { path: id + ".txt" },
    article: { title, date, language: "en", site: "fixture.test", text },
    sentences: [], entities: [], events: evs, quotes, numbers: [], places, dates: [],
  };
}

export function smallRecords() {
  const t1 = "The Russian president met the Syrian president in Sochi on Monday. " +
    "Moscow also pledged fresh military aid to the government in Damascus.\n\n" +
    "\"We will stand by our partners,\" the Russian president said.";
  const t2 = "The Turkish foreign minister held talks with Russian officials in Ankara. " +
    "Separately, the US State Department accused Moscow of stalling the negotiations.";
  const t3 = "Ukrainian forces shelled Russian positions near Kharkiv overnight, " +
    "and Russian troops attacked Ukrainian units outside Kharkiv at dawn.";
  const t4 = "Hostile page test <script>window.__pwned = 1</script> " +
    "<img src=x onerror=\"window.__pwned = 2\">. The French president met the German chancellor in Paris.";
  const t5 = "🇸🇾🕊️ Officials in Syria demanded that Ankara withdraw its troops from the border.";
  return [
    doc("d1", "Sochi meeting", "2024-03-04", t1, [
      { type: "CONSULT", cameo: "040", source: ["RUSGOV", "Russian president"], target: ["SYRGOV", "Syrian president"],
        evidence: "The Russian president met the Syrian president in Sochi on Monday.", place: "Sochi" },
      { type: "AID", cameo: "070", source: ["RUSGOV", "Moscow"], target: ["SYRGOV", "government in Damascus"],
        evidence: "Moscow also pledged fresh military aid to the government in Damascus.", place: "Damascus" },
    ], { places: ["Sochi", "Damascus", "Moscow"],
         quotes: [{ content: "We will stand by our partners,", cue: "said", speaker: "the Russian president", actor: "RUSGOV" }] }),
    doc("d2", "Talks in Ankara", "2024-03-05", t2, [
      { type: "CONSULT", cameo: "040", source: ["TURGOV", "Turkish foreign minister"], target: ["RUSGOV", "Russian officials"],
        evidence: "The Turkish foreign minister held talks with Russian officials in Ankara.", place: "Ankara" },
      { type: "ACCUSE", cameo: "112", source: ["USAGOV", "US State Department"], target: ["RUSGOV", "Moscow"],
        evidence: "the US State Department accused Moscow of stalling the negotiations." },
    ]),
    doc("d3", "Fighting near Kharkiv", "2024-03-07", t3, [
      { type: "ASSAULT", cameo: "190", source: ["UKRMIL", "Ukrainian forces"], target: ["RUSMIL", "Russian positions"],
        evidence: "Ukrainian forces shelled Russian positions near Kharkiv overnight", place: "Kharkiv" },
      { type: "ASSAULT", cameo: "190", source: ["RUSMIL", "Russian troops"], target: ["UKRMIL", "Ukrainian units"],
        evidence: "Russian troops attacked Ukrainian units outside Kharkiv at dawn.", place: "Kharkiv" },
    ]),
    doc("d4", "A page with markup <b>in the title</b>", "2024-03-07", t4, [
      { type: "CONSULT", cameo: "040", source: ["FRAGOV", "French president"], target: ["DEUGOV", "German chancellor"],
        evidence: "The French president met the German chancellor in Paris.", place: "Paris" },
    ]),
    doc("d5", "Demand to Ankara", "2024-03-08", t5, [
      { type: "DEMAND", cameo: "100", source: ["SYRGOV", "Officials in Syria"], target: ["TURGOV", "Ankara"],
        evidence: "Officials in Syria demanded that Ankara withdraw its troops from the border." },
    ]),
  ];
}

// A large synthetic store for the first-render figure: `n` events over
// `n / 10` documents, a spread of types, dyads, days and places.
export function largeRecords(n) {
  const types = [["CONSULT", "040"], ["AID", "070"], ["ACCUSE", "112"], ["ASSAULT", "190"], ["DEMAND", "100"], ["COOPERATE", "050"]];
  const actors = ["RUSGOV", "SYRGOV", "TURGOV", "USAGOV", "UKRMIL", "RUSMIL", "FRAGOV", "DEUGOV", "IRNGOV", "ISRMIL", "EGYGOV", "CHNGOV"];
  const places = Object.keys(PLACES);
  // Seeded pseudo-words, so documents differ (the store would otherwise
  // link near-identical texts as syndicated copies) and runs repeat.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const syl = ["ka", "lo", "mi", "ne", "su", "ta", "vo", "ri", "pe", "da", "gu", "zo", "fi", "ha", "be", "ny"];
  const word = () => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => syl[Math.floor(rnd() * syl.length)]).join("");
  const out = [];
  let k = 0;
  for (let d = 0; k < n; d++) {
    const sents = [];
    const evs = [];
    for (let j = 0; j < 10 && k < n; j++, k++) {
      const [type, cameo] = types[k % types.length];
      const s = actors[k % actors.length], t = actors[(k * 7 + 3) % actors.length];
      const p = places[k % places.length];
      const filler = Array.from({ length: 8 }, word).join(" ");
      const sent = `${s} acted on ${t} near ${p} after ${filler}.`;
      sents.push(sent);
      evs.push({ type, cameo, s, t, p, sent });
    }
    const text = sents.join(" ");
    const day = new Date(Date.UTC(2023, 0, 1) + (d % 365) * 86400000).toISOString().slice(0, 10);
    out.push(doc("big" + d, "Synthetic report " + d, day, text, evs.map((e) => ({
      type: e.type, cameo: e.cameo, source: [e.s, e.s], target: [e.t, e.t, undefined], evidence: e.sent, place: e.p,
    }))));
  }
  return out;
}

export function writeJsonl(path, records) {
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
}

if (process.argv[1] && process.argv[1].endsWith("fixture.mjs")) {
  const [, , kind, path, n] = process.argv;
  writeJsonl(path, kind === "large" ? largeRecords(Number(n || 10000)) : smallRecords());
}
