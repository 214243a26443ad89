package dev.nabd.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object {@code namespace(...)} makes: the one thing a template may change from inside a loop
 * ({@code {% set ns.found = true %}}) and still see after it.
 */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();
}
