package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Oniguruma syntax (as tokenizer.json writes it) matches in Java as it does in Hugging Face. */
class OnigRegexTest {

    private static boolean matches(String onig, String text) {
        return OnigRegex.compile(onig).matcher(text).matches();
    }

    @Test
    void shorthandClassesAreUnicode() {
        assertThat(matches("\\s+", "\u3000\u00A0\u0085\u2028 \t")).isTrue();
        assertThat(matches("\\S", "\u00A0")).isFalse();
        assertThat(matches("[^\\s\\p{L}]+", "!\u3000")).isFalse();
        assertThat(matches("\\d+", "12٣۴")).isTrue();
        assertThat(matches("\\D", "٣")).isFalse();
        assertThat(matches("\\w+", "é_ب٣\u0301")).isTrue();
        assertThat(matches("\\W", "-")).isTrue();
        assertThat(matches("[\\w-]+", "a-b")).isTrue();
    }

    /** In Oniguruma \h is a hexadecimal digit, not horizontal space. */
    @Test
    void hexDigitShorthand() {
        assertThat(matches("\\h+", "09afAF")).isTrue();
        assertThat(matches("\\h", " ")).isFalse();
        assertThat(matches("\\H", "g")).isTrue();
    }

    /** (?i) folds Unicode case: the long s folds to s, the Kelvin sign to k. */
    @Test
    void caseInsensitiveGroupsFoldUnicode() {
        assertThat(matches("(?i:'s|'k)", "'\u017F")).isTrue();
        assertThat(matches("(?i:'s|'k)", "'\u212A")).isTrue();
        assertThat(matches("(?i:'s|'k)", "'S")).isTrue();
        // plain alternatives are written out as case classes (fast in Java), anything else gets Java's u flag
        assertThat(OnigRegex.translate("(?i:'s|'t)")).isEqualTo("(?:'[sS\u017F]|'[tT])");
        assertThat(OnigRegex.translate("(?i:[a-z]+)")).isEqualTo("(?iu:[a-z]+)");
        assertThat(matches("(?i:[a-z]+)", "ÀbC")).isFalse();
        assertThat(matches("(?i:é+)", "ÉéÉ")).isTrue();
    }

    /** Ruby syntax: ^ and $ are line anchors, and only \n ends a line. */
    @Test
    void anchorsAreLineAnchors() {
        Pattern p = OnigRegex.compile("\\s+$");
        assertThat(p.matcher("a  \nb").find()).isTrue();
        assertThat(p.matcher("a  \rb").find()).isFalse();
        assertThat(OnigRegex.compile("^b").matcher("a\nb").find()).isTrue();
    }

    @Test
    void propertiesScriptsAndPosixClasses() {
        assertThat(matches("\\p{^L}+", "1 !")).isTrue();
        assertThat(matches("\\P{L}", "a")).isFalse();
        assertThat(matches("\\p{Han}+", "漢字")).isTrue();
        assertThat(matches("\\p{Hiragana}+", "ひらがな")).isTrue();
        assertThat(matches("[[:alpha:]]+", "aé漢")).isTrue();
        assertThat(matches("[[:^digit:]]", "٣")).isFalse();
        assertThat(matches("[[:punct:][:space:]]+", "!, ")).isTrue();
        assertThat(matches("\\p{Lu}\\p{Ll}", "Ab")).isTrue();
    }

    @Test
    void literalNonAsciiRangesAndEscapes() {
        assertThat(matches("[一-龥぀-ゟ゠-ヿ]+", "日本語のカタカナ")).isTrue();
        assertThat(matches("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]+", "!\"#[\\]^_`{|}~")).isTrue();
    }

    @Test
    void unsupportedSyntaxIsAClearError() {
        assertThatThrownBy(() -> OnigRegex.compile("(?<a>x)\\g<a>"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("unsupported regular expression /(?<a>x)\\g<a>/");
        assertThatThrownBy(() -> OnigRegex.compile("[[:nothing:]]"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("[:nothing:]");
        assertThatThrownBy(() -> OnigRegex.compile("\\p{NoSuchScript}"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("NoSuchScript");
    }
}
