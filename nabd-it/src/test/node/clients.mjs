// The npm `openai` package against a running nabd server. Run by NodeOpenAiClientTest:
//   node clients.mjs BASE_URL [KEYED_BASE_URL]
// BASE_URL serves stories260K without a key; KEYED_BASE_URL (optional) asks for the key "sk-nabd-test".
// Prints one JSON object that the Java test checks; any unexpected failure exits non-zero.
import OpenAI from 'openai';
import { VERSION } from 'openai/version';

const [baseURL, keyedURL] = process.argv.slice(2);
if (!baseURL) {
  console.error('usage: node clients.mjs BASE_URL [KEYED_BASE_URL]');
  process.exit(2);
}
const MODEL = 'stories260K';
const client = new OpenAI({ baseURL, apiKey: 'not-checked', maxRetries: 0, timeout: 30_000 });
// Greedy and seeded: the streamed text must equal the blocking text.
const chatParams = {
  model: MODEL,
  messages: [
    { role: 'system', content: 'You tell short stories.' },
    { role: 'user', content: 'Once upon a time' },
  ],
  max_tokens: 32,
  temperature: 0,
  seed: 42,
};

/** What an API error looked like to the client. */
async function failure(call) {
  try {
    await call();
    return { thrown: false };
  } catch (e) {
    return {
      thrown: true,
      class: e?.constructor?.name,
      status: e?.status ?? null,
      code: e?.code ?? null,
      param: e?.param ?? null,
      type: e?.type ?? null,
      message: String(e?.message ?? e),
      not_found: e instanceof OpenAI.NotFoundError,
      bad_request: e instanceof OpenAI.BadRequestError,
      authentication: e instanceof OpenAI.AuthenticationError,
    };
  }
}

const out = { node: process.version, openai: VERSION };

const chat = await client.chat.completions.create(chatParams);
out.chat = {
  id: chat.id,
  object: chat.object,
  model: chat.model,
  role: chat.choices[0].message.role,
  text: chat.choices[0].message.content,
  finish_reason: chat.choices[0].finish_reason,
  usage: chat.usage,
};

const stream = await client.chat.completions.create({ ...chatParams, stream: true, stream_options: { include_usage: true } });
const s = { text: '', chunks: 0, ids: new Set(), roles: [], finish_reasons: [], usage: null, last_choices: null };
for await (const chunk of stream) {
  s.chunks++;
  s.ids.add(chunk.id);
  s.last_choices = chunk.choices.length;
  if (chunk.usage) s.usage = chunk.usage;
  for (const c of chunk.choices) {
    if (c.delta.role) s.roles.push(c.delta.role);
    if (c.delta.content) s.text += c.delta.content;
    if (c.finish_reason) s.finish_reasons.push(c.finish_reason);
  }
}
out.stream = { ...s, ids: s.ids.size };

// The client's streaming helper, which folds the chunks into one ChatCompletion.
const runner = client.chat.completions.stream({ ...chatParams, n: 2 });
const folded = await runner.finalChatCompletion();
out.stream_helper = {
  texts: folded.choices.map((c) => c.message.content),
  finish_reasons: folded.choices.map((c) => c.finish_reason),
};

const completionParams = { model: MODEL, prompt: 'Once upon a time, there was a little girl', max_tokens: 20, temperature: 0, seed: 7 };
const completion = await client.completions.create(completionParams);
out.completion = {
  object: completion.object,
  text: completion.choices[0].text,
  finish_reason: completion.choices[0].finish_reason,
  usage: completion.usage,
};
let streamedCompletion = '';
const completionFinishes = [];
for await (const chunk of await client.completions.create({ ...completionParams, stream: true })) {
  for (const c of chunk.choices) {
    streamedCompletion += c.text;
    if (c.finish_reason) completionFinishes.push(c.finish_reason);
  }
}
out.completion_stream = { text: streamedCompletion, finish_reasons: completionFinishes };

const models = [];
for await (const m of client.models.list()) models.push(m.id);
out.models = models;
out.model = (await client.models.retrieve(MODEL)).id;

out.errors = {
  unknown_model: await failure(() => client.chat.completions.create({ ...chatParams, model: 'gpt-4o' })),
  bad_parameter: await failure(() => client.chat.completions.create({ ...chatParams, temperature: 5 })),
  unknown_model_stream: await failure(async () => {
    for await (const _ of await client.chat.completions.create({ ...chatParams, model: 'gpt-4o', stream: true })) {
      // nothing arrives
    }
  }),
};
if (keyedURL) {
  const wrong = new OpenAI({ baseURL: keyedURL, apiKey: 'sk-wrong', maxRetries: 0, timeout: 30_000 });
  out.errors.wrong_key = await failure(() => wrong.models.list());
  const right = new OpenAI({ baseURL: keyedURL, apiKey: 'sk-nabd-test', maxRetries: 0, timeout: 30_000 });
  out.keyed_models = [];
  for await (const m of right.models.list()) out.keyed_models.push(m.id);
}

console.log(JSON.stringify(out));
