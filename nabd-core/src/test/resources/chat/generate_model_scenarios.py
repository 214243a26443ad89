#!/usr/bin/env python3
"""Writes model_scenarios.jsonl: the real chat templates of ../shared/tokenizers/*/chat_template.jinja
rendered by Python Jinja2 3.1 (transformers' settings) over many more conversation shapes than the
shared templates.jsonl: parallel tool calls, tool results of every JSON type, reasoning_content, content
as a list of parts, role-order mistakes, thinking switches, builtin tools, odd whitespace and Unicode.

Run from this folder:  python3 generate_model_scenarios.py
Each line: {"id", "model", "messages", "tools", "add_generation_prompt", "special_tokens", "kwargs",
and "rendered" or "error_type" + "error"}.
"""
import copy
import json
import os
import sys

from generate_fixtures import env, render  # the same environment as the feature fixtures

SHARED = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../../../shared/tokenizers"))

# DeepSeek templates concatenate tool-call arguments, so transformers' callers pass them as JSON strings.
STRING_ARGUMENTS = {"deepseek_v3", "deepseek_r1", "deepseek_v3_1"}

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather — الطقس 天气",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "City, e.g. Zürich"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7, "default": 1},
        "precision": {"type": "number", "default": 0.5}},
        "required": ["location"]}}}
SEARCH = {"type": "function", "function": {
    "name": "search", "description": "Search the web.",
    "parameters": {"type": "object", "properties": {
        "query": {"type": "string"}, "filters": {"type": "object", "properties": {"lang": {"type": "string"}, "safe": {"type": "boolean"}}},
        "tags": {"type": "array", "items": {"type": "string"}}}, "required": ["query"]},
    "return": {"type": "string"}}}


def call(name, arguments, string_args, id_="call_abc1"):
    return {"id": id_, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False) if string_args else arguments}}


def scenarios(string_args):
    s = {}
    s["plain"] = ([{"role": "user", "content": "Hello"}], None, True, {})
    s["assistant_last"] = ([{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}], None, False, {})
    s["system_only"] = ([{"role": "system", "content": "You are terse."}], None, True, {})
    s["long_history"] = ([{"role": "system", "content": "sys"}] + [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i} " + "é" * i} for i in range(12)] + [{"role": "user", "content": "last"}], None, True, {})
    s["odd_whitespace"] = ([{"role": "system", "content": "  \n sys \t"}, {"role": "user", "content": "\u00a0 lead and trail \u3000\n\n"},
                            {"role": "assistant", "content": "\n\nanswer\n\n"}, {"role": "user", "content": "\r\nwindows\r\n"}], None, True, {})
    s["empty_contents"] = ([{"role": "system", "content": ""}, {"role": "user", "content": ""}, {"role": "assistant", "content": ""}, {"role": "user", "content": " "}], None, True, {})
    s["specials_in_content"] = ([{"role": "user", "content": "<|im_start|>user <s>[INST] {{ not jinja }} {% raw %} <think>x</think>"}], None, True, {})
    s["emoji_rtl_cjk"] = ([{"role": "system", "content": "أنت مساعد مفيد."}, {"role": "user", "content": "👨‍👩‍👧‍👦 🇸🇦 नमस्ते こんにちは 안녕하세요 𠀀"}], None, True, {})
    s["reasoning_content_field"] = ([{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4", "reasoning_content": "  add them\n"},
                                     {"role": "user", "content": "and 3+3?"}, {"role": "assistant", "content": "6", "reasoning_content": "again"}], None, False, {})
    s["think_in_content_multi"] = ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "<think>\nr1\n</think>\n\nfirst"},
                                    {"role": "user", "content": "b"}, {"role": "assistant", "content": "<think>r2</think>second</think>tail"}], None, True, {})
    s["thinking_on"] = ([{"role": "user", "content": "think"}], None, True, {"enable_thinking": True, "thinking": True})
    s["thinking_off_history"] = ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c /nothink"}], None, True, {"enable_thinking": False, "thinking": False})
    s["roles_user_user"] = ([{"role": "user", "content": "one"}, {"role": "user", "content": "two"}], None, True, {})
    s["roles_assistant_first"] = ([{"role": "assistant", "content": "hi"}, {"role": "user", "content": "hey"}], None, True, {})
    s["roles_two_systems"] = ([{"role": "system", "content": "s1"}, {"role": "system", "content": "s2"}, {"role": "user", "content": "u"}], None, True, {})
    s["content_parts"] = ([{"role": "system", "content": [{"type": "text", "text": "sys part"}]},
                           {"role": "user", "content": [{"type": "text", "text": " look "}, {"type": "image"}, {"type": "text", "text": "at this"}]}], None, True, {})
    s["tools_two_defs"] = ([{"role": "system", "content": "Use tools."}, {"role": "user", "content": "Weather in الرياض?"}], [WEATHER, SEARCH], True, {})
    s["tools_no_system"] = ([{"role": "user", "content": "Weather?"}], [WEATHER], True, {})
    args = {"location": "Zürich", "unit": "celsius", "days": 3, "precision": 0.25, "flags": [True, False, None], "nested": {"k": "v \"q\""}}
    s["tool_call_rich_args"] = ([{"role": "user", "content": "Weather?"},
                                 {"role": "assistant", "content": None if string_args else "", "tool_calls": [call("get_weather", args, string_args, "abcdefghi")]},
                                 {"role": "tool", "content": json.dumps({"temp": 21.5, "desc": "sunny ☀"}, ensure_ascii=False), "tool_call_id": "abcdefghi", "name": "get_weather"},
                                 {"role": "assistant", "content": "21.5 °C and sunny."}], [WEATHER], True, {})
    s["parallel_tool_calls"] = ([{"role": "user", "content": "Weather in Paris and Rome?"},
                                 {"role": "assistant", "content": None if string_args else "", "tool_calls": [
                                     call("get_weather", {"location": "Paris"}, string_args, "aaaaaaaa1"),
                                     call("get_weather", {"location": "Rome"}, string_args, "aaaaaaaa2")]},
                                 {"role": "tool", "content": "18", "tool_call_id": "aaaaaaaa1"},
                                 {"role": "tool", "content": "24", "tool_call_id": "aaaaaaaa2"}], [WEATHER], True, {})
    s["tool_call_null_content"] = ([{"role": "user", "content": "Weather?"},
                                    {"role": "assistant", "content": None, "tool_calls": [call("get_weather", {"location": "Lima"}, string_args, "ddddddddd")]},
                                    {"role": "tool", "content": "15", "tool_call_id": "ddddddddd"}], [WEATHER], True, {})
    s["tool_call_bad_id"] = ([{"role": "user", "content": "Weather?"},
                              {"role": "assistant", "content": None if string_args else "", "tool_calls": [call("get_weather", {"location": "Oslo"}, string_args, "short")]},
                              {"role": "tool", "content": "5", "tool_call_id": "short"}], [WEATHER], True, {})
    s["tool_call_with_text"] = ([{"role": "user", "content": "Search it"},
                                 {"role": "assistant", "content": "Let me search.", "tool_calls": [call("search", {"query": "jinja", "filters": {"lang": "en", "safe": True}, "tags": []}, string_args, "bbbbbbbb1")]},
                                 {"role": "tool", "content": "results", "tool_call_id": "bbbbbbbb1"}], [SEARCH], False, {})
    s["tool_result_dict_content"] = ([{"role": "user", "content": "Weather?"},
                                      {"role": "assistant", "content": None if string_args else "", "tool_calls": [call("get_weather", {"location": "Cairo"}, string_args, "ccccccccc")]},
                                      {"role": "tool", "content": {"temp": 30, "ok": True, "list": [1, 2.0]}, "tool_call_id": "ccccccccc"}], [WEATHER], True, {})
    s["tool_call_unwrapped"] = ([{"role": "user", "content": "x"},
                                 {"role": "assistant", "content": "", "tool_calls": [{"name": "search", "arguments": {"query": "q"}}]}], [SEARCH], True, {})
    s["llama_tools_in_system"] = ([{"role": "system", "content": "sys"}, {"role": "user", "content": "Weather?"}], [WEATHER], True, {"tools_in_user_message": False})
    s["llama_builtin_tools"] = ([{"role": "user", "content": "Search the news"},
                                 {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "brave_search", "arguments": {"query": "news"}}}]},
                                 {"role": "ipython", "content": "headlines"}], None, True, {"builtin_tools": ["brave_search", "code_interpreter", "wolfram_alpha"]})
    s["llama_custom_tools_date"] = ([{"role": "user", "content": "hi"}], None, True, {"custom_tools": [WEATHER], "date_string": "01 Jan 2025"})
    s["llama_tools_no_user"] = ([{"role": "system", "content": "only system"}], [WEATHER], True, {})
    s["no_messages_tools"] = ([], [WEATHER], True, {})
    return s


def main():
    models = sorted(d for d in os.listdir(SHARED) if os.path.exists(os.path.join(SHARED, d, "chat_template.jinja")))
    n = 0
    with open("model_scenarios.jsonl", "w", encoding="utf-8") as out:
        for model in models:
            with open(os.path.join(SHARED, model, "chat_template.jinja"), encoding="utf-8") as f:
                source = f.read()
            with open(os.path.join(SHARED, model, "templates.jsonl"), encoding="utf-8") as f:
                special = json.loads(f.readline())["special_tokens"]
            template = env.from_string(source)
            for name, (messages, tools, agp, kwargs) in scenarios(model in STRING_ARGUMENTS).items():
                context = dict(messages=copy.deepcopy(messages), tools=tools, documents=None, add_generation_prompt=agp, **special, **kwargs)
                try:
                    result = {"rendered": template.render(**context)}
                except Exception as e:  # noqa: BLE001
                    result = {"error_type": type(e).__name__, "error": str(e)}
                record = {"id": f"{model}-{name}", "model": model, "messages": messages, "tools": tools,
                          "add_generation_prompt": agp, "special_tokens": special, "kwargs": kwargs}
                record.update(result)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {n} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
