// llama-bench-like pp/tg benchmark on top of node-llama-cpp's prebuilt llama.cpp (CPU only).
//
// usage: node bench.mjs <model.gguf> <threads> <pp tokens> <tg tokens> <repetitions> [--fa=auto|on|off] [--api=raw|public]
//                       [--depth=D]
//
// --api=raw (default): drives the addon context directly, exactly like llama-bench:
//     pp = ONE llama_decode of <pp> random tokens, logits only for the last token (= llama_batch_get_one)
//     tg = <tg> llama_decode calls of 1 random token each, logits on, no sampling
//   (uses node-llama-cpp internals: context._ctx.initBatch/addToBatch/decodeBatch)
// --depth=D (raw only): each test runs after D positions of context (llama-bench's -d), evaluated once
//   per test without timing; each repetition removes the cells after them and starts at position D.
// --api=public: uses LlamaContextSequence.evaluateWithoutGeneratingNewTokens (pp, NO logits at all)
//   and controlledEvaluate per token with greedy sampling (tg) -- a cross-check via the public API.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import fs from "node:fs";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith("--"))
    .map((a) => { const [k, v] = a.slice(2).split("="); return [k, v ?? "1"]; }));
if (args.length < 5) {
    console.error("usage: node bench.mjs <model.gguf> <threads> <pp> <tg> <reps> [--fa=auto|on|off] [--api=raw|public] [--verbose]");
    process.exit(1);
}
const [modelPath, threadsS, ppS, tgS, repsS] = args;
const threads = parseInt(threadsS), pp = parseInt(ppS), tg = parseInt(tgS), reps = parseInt(repsS);
const fa = ({ auto: "auto", on: true, "1": true, off: false, "0": false })[flags.fa ?? "auto"];
const api = flags.api ?? "raw";
const depth = Number(flags.depth ?? "0");
if (!Number.isInteger(depth) || depth < 0) {
    console.error(`--depth must be a whole number of positions, not ${flags.depth}`);
    process.exit(1);
}
if (depth > 0 && api !== "raw") {
    console.error("--depth needs --api=raw");
    process.exit(1);
}
const batchSize = 512; // n_batch == n_ubatch == 512 (node-llama-cpp always sets n_ubatch = n_batch)

const logLines = [];
const llama = await getLlama({
    gpu: false,                 // CPU backend only -> @node-llama-cpp/linux-x64 prebuilt
    build: "never",             // never compile / download from GitHub
    usePrebuiltBinaries: true,
    maxThreads: threads,        // thread-splitter cap == requested threads
    logLevel: flags.verbose ? LlamaLogLevel.debug : LlamaLogLevel.info,
    logger: (level, msg) => {
        logLines.push(msg);
        if (flags.verbose) process.stderr.write(`[${level}] ${msg}`);
    },
});

// Which ggml CPU variant did the backend registry load?
const maps = fs.readFileSync("/proc/self/maps", "utf8");
const cpuLibs = [...new Set(maps.split("\n").map((l) => l.match(/\S*libggml-cpu[^/\s]*\.so\S*/)?.[0]).filter(Boolean))];
const grepLog = (re, from = 0) => logLines.slice(from).join("\n").split("\n").filter((l) => re.test(l)).map((l) => l.trim());
const loadLines = grepLog(/load_backend|CPU backend/i);
console.log(`node-llama-cpp build=${llama.buildType} gpu=${llama.gpu} llama.cpp=${llama.llamaCppRelease?.release ?? "?"}`);
console.log(`ggml CPU lib mapped: ${cpuLibs.join(", ") || "?"}`);
for (const l of loadLines) console.log(`  log: ${l.trim()}`);

const model = await llama.loadModel({ modelPath, gpuLayers: 0, useMmap: true, useMlock: false, useDirectIo: false });
const settleLogs = () => new Promise((r) => setTimeout(r, 100)); // native log callbacks arrive asynchronously
await settleLogs();
const embd = model.fileInfo.tensorInfo?.find((t) => t.name === "token_embd.weight");
const vocabSize = Number(embd?.dimensions?.[1] ?? model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length);
// llama-bench uses std::rand() % n_vocab (any id). Skip control/special tokens to be safe.
const candidateIds = [];
for (let t = 0; t < vocabSize; t++) {
    const attrs = model._model.getTokenAttributes(t);
    // LLAMA_TOKEN_ATTR_CONTROL = 1<<3, UNKNOWN = 1<<0, UNUSED = 1<<4
    if ((attrs & ((1 << 3) | (1 << 0) | (1 << 4))) === 0) candidateIds.push(t);
}
let seed = 1234567;
const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return candidateIds[(seed >>> 8) % candidateIds.length]; };
for (const l of grepLog(/model buffer size|load_mode/)) console.log(`  log: ${l}`);
console.log(`model: ${modelPath}  vocab=${vocabSize} (usable ids ${candidateIds.length})  size=${(model.size / 2 ** 20).toFixed(1)} MiB  mmap=${model.useMmap}`);

async function makeContext(nTokens) {
    const ctx = await model.createContext({
        contextSize: Math.max(nTokens, 1),
        batchSize,
        sequences: 1,
        threads: { ideal: threads, min: threads },
        flashAttention: fa,
        experimentalKvCacheKeyType: "F16",
        experimentalKvCacheValueType: "F16",
        ignoreMemorySafetyChecks: true,
    });
    const seq = ctx.getSequence();
    ctx._ctx.setThreads(threads);
    await settleLogs();
    return { ctx, seq };
}

// ---- raw (llama-bench-equivalent) runs ----
/** Evaluates n tokens at positions from..from+n in batches of n_batch, logits for the last if asked. */
async function evaluate(c, toks, from, logits) {
    const n = toks.length;
    for (let i = 0; i < n; i += batchSize) {
        const m = Math.min(batchSize, n - i);
        c.ctx._ctx.initBatch(m);
        c.ctx._ctx.addToBatch(0, from + i, toks.subarray(i, i + m), logits && i + m === n ? Uint32Array.of(m - 1) : new Uint32Array(0));
        await c.ctx._ctx.decodeBatch();
    }
}
/** The depth's context, untimed (positions 0..depth). */
async function rawFill(c) {
    c.ctx._ctx.removeTokenCellsFromSequence(0, 0, -1);
    if (depth > 0) {
        const toks = Uint32Array.from({ length: depth }, rnd);
        const bos = model.tokens.bos;
        if (bos != null && model._model.shouldPrependBosToken()) toks[0] = bos;
        await evaluate(c, toks, 0, false);
    }
}
async function rawPP(c, n) {
    const toks = Uint32Array.from({ length: n }, rnd);
    const bos = model.tokens.bos;
    if (depth === 0 && bos != null && model._model.shouldPrependBosToken()) toks[0] = bos; // like llama-bench
    c.ctx._ctx.removeTokenCellsFromSequence(0, depth, -1);
    const t0 = process.hrtime.bigint();
    // chunks of n_batch (=512); output (logits) only for the very last token, like llama-bench's test_prompt
    await evaluate(c, toks, depth, true);
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
async function rawTG(c, n) {
    c.ctx._ctx.removeTokenCellsFromSequence(0, depth, -1);
    const one = Uint32Array.of(0), lg = Uint32Array.of(0);
    const bos = model.tokens.bos;
    one[0] = (depth === 0 && bos != null && model._model.shouldPrependBosToken()) ? bos : rnd();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
        c.ctx._ctx.initBatch(1);
        c.ctx._ctx.addToBatch(0, depth + i, one, lg);
        await c.ctx._ctx.decodeBatch();
        one[0] = rnd();
    }
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
// ---- public-API runs (cross-check) ----
async function pubPP(c, n) {
    await c.seq.clearHistory();
    const toks = Array.from({ length: n }, rnd);
    const t0 = process.hrtime.bigint();
    await c.seq.evaluateWithoutGeneratingNewTokens(toks);
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
async function pubTG(c, n) {
    await c.seq.clearHistory();
    let tok = rnd();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
        const [r] = await c.seq.controlledEvaluate([[tok, { generateNext: { token: true } }]]); // greedy
        tok = r?.next?.token ?? rnd();
    }
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
const runPP = api === "public" ? pubPP : rawPP;
const runTG = api === "public" ? pubTG : rawTG;

function stats(xs) {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
    return [m, sd];
}

async function bench(name, nTokens, run, n) {
    const logStart = logLines.length;
    const c = await makeContext(nTokens + depth);
    if (api === "raw") await rawFill(c);
    const kv = (k) => grepLog(new RegExp(`llama_context: ${k}\\s+=`), logStart)[0]?.split("=")[1]?.trim() ?? "?";
    const faRes = grepLog(/Flash Attention (enabled|disabled)/, logStart)[0]?.match(/enabled|disabled/)?.[0] ?? (fa === false ? "disabled" : "?");
    const kvType = grepLog(/llama_kv_cache: size/, logStart)[0]?.match(/K \((\w+)\).*V \((\w+)\)/)?.slice(1).join("/") ?? "?";
    const info = `n_ctx=${kv("n_ctx")} n_batch=${kv("n_batch")} n_ubatch=${kv("n_ubatch")} fa=${c.ctx.flashAttention}->${faRes} kv=${kvType} threads=${c.ctx._ctx.getThreads()}`;
    await run(c, n); // untimed warm-up (llama-bench warms up with the same kind of run)
    const tps = [];
    for (let r = 0; r < reps; r++) tps.push(n / await run(c, n));
    const [m, sd] = stats(tps);
    console.log(`${name}${depth > 0 ? ` @ d${depth}` : ""} t=${threads}: ${m.toFixed(2)} ± ${sd.toFixed(2)} t/s   [${info}; api=${api}; reps=${tps.map((x) => x.toFixed(2)).join(", ")}]`);
    const during = logLines.length - logStart;
    if (flags.verbose) console.error(`(${during} log messages since context creation)`);
    await c.ctx.dispose();
}

if (pp > 0) await bench(`pp${pp}`, pp, runPP, pp);
if (tg > 0) await bench(`tg${tg}`, tg, runTG, tg);

await model.dispose();
await llama.dispose();
