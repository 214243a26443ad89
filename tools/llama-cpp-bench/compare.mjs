// Sets nabd's `bench` figures next to llama.cpp's for the same GGUF files on this machine, in one sitting,
// and prints them as the Markdown table of the README's performance section.
//
// usage: node compare.mjs [--pp=128] [--tg=64] [--reps=3] [--threads=2,1] [--depth=0] MODEL.gguf...
//
// nabd runs through the repository's bin/nabd (`bench -o csv`); llama.cpp through bench.mjs beside this
// file. Files are measured one after the other, nabd then llama.cpp, so both meet the same machine state.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const nabd = path.join(here, "..", "..", "bin", "nabd");
const flags = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith("--"))
    .map((a) => { const [k, v] = a.slice(2).split("="); return [k, v]; }));
const files = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (files.length === 0) {
    console.error("usage: node compare.mjs [--pp=128] [--tg=64] [--reps=3] [--threads=2,1] [--depth=0] MODEL.gguf...");
    process.exit(1);
}
const pp = flags.pp ?? "128", tg = flags.tg ?? "64", reps = flags.reps ?? "3";
const threads = (flags.threads ?? "2,1").split(",");
// Tests after that many positions of context (llama-bench's -d): named "pp128 @ d2048" by both.
const depth = flags.depth ?? "0";
if (!/^\d+$/.test(depth)) {
    console.error(`--depth takes one whole number of positions, not ${depth}`);
    process.exit(1);
}
const at = depth === "0" ? "" : ` @ d${depth}`;

function run(command, args) {
    const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
    }
    return r.stdout;
}

/** t/s by "test threads", e.g. "pp128 2". */
function nabdFigures(file) {
    const out = run(nabd, ["bench", "-m", file, "-p", pp, "-n", tg, "-d", depth, "-t", threads.join(","), "-r", reps, "-o", "csv"]);
    const figures = {};
    for (const line of out.split("\n")) {
        // "model",size_bytes,params,threads,test,mean,stddev
        const m = line.match(/^".*",\d+,\d+,(\d+),(\w+(?: @ d\d+)?),([\d.]+),([\d.]+)$/);
        if (m) figures[`${m[2]} ${m[1]}`] = Number(m[3]);
    }
    return figures;
}

function llamaFigures(file) {
    const figures = {};
    for (const t of threads) {
        const out = run(process.execPath, [path.join(here, "bench.mjs"), file, t, pp, tg, reps, `--depth=${depth}`]);
        for (const m of out.matchAll(/^(\w+(?: @ d\d+)?) t=(\d+): ([\d.]+) ±/gm)) figures[`${m[1]} ${m[2]}`] = Number(m[3]);
    }
    return figures;
}

const tests = threads.flatMap((t) => [`pp${pp}${at} ${t}`, `tg${tg}${at} ${t}`]);
console.log(`| model | ${tests.map((k) => k.replace(/ (\d+)$/, " t=$1")).join(" | ")} |`);
console.log(`|---|${tests.map(() => "---:").join("|")}|`);
for (const file of files) {
    const ours = nabdFigures(file);
    const theirs = llamaFigures(file);
    const cells = tests.map((k) => ours[k] && theirs[k]
        ? `${ours[k].toFixed(1)} / ${theirs[k].toFixed(1)} (${(ours[k] / theirs[k]).toFixed(2)}×)` : "?");
    console.log(`| ${path.basename(file, ".gguf")} | ${cells.join(" | ")} |`);
}
