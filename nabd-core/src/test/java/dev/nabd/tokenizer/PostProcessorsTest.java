package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The post-processors add their special tokens only when asked to. */
class PostProcessorsTest {
    private static final int[] IDS = {7, 8};

    @Test
    void templateProcessing() {
        PostProcessor p = StageJson.postProcessor("{\"type\": \"TemplateProcessing\", \"single\": ["
                + "{\"SpecialToken\": {\"id\": \"[CLS]\", \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}},"
                + "{\"SpecialToken\": {\"id\": \"[SEP]\", \"type_id\": 0}}], \"pair\": [],"
                + " \"special_tokens\": {\"[CLS]\": {\"id\": \"[CLS]\", \"ids\": [101], \"tokens\": [\"[CLS]\"]},"
                + " \"[SEP]\": {\"id\": \"[SEP]\", \"ids\": [102, 103], \"tokens\": [\"[SEP]\", \"x\"]}}}");
        assertThat(p.process(IDS, true)).containsExactly(101, 7, 8, 102, 103);
        assertThat(p.process(IDS, false)).containsExactly(7, 8);
        assertThat(p.process(new int[0], true)).containsExactly(101, 102, 103);
    }

    @Test
    void templateWrittenAsAString() {
        PostProcessor p = StageJson.postProcessor("{\"type\": \"TemplateProcessing\", \"single\": \"<s> $A:0 </s>\","
                + " \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1]}, \"</s>\": {\"id\": \"</s>\", \"ids\": [2]}}}");
        assertThat(p.process(IDS, true)).containsExactly(1, 7, 8, 2);
    }

    @Test
    void bertAndRoberta() {
        assertThat(StageJson.postProcessor("{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 102], \"cls\": [\"[CLS]\", 101]}")
                .process(IDS, true)).containsExactly(101, 7, 8, 102);
        PostProcessor roberta = StageJson.postProcessor("{\"type\": \"RobertaProcessing\", \"sep\": [\"</s>\", 2],"
                + " \"cls\": [\"<s>\", 0], \"trim_offsets\": true, \"add_prefix_space\": false}");
        assertThat(roberta.process(IDS, true)).containsExactly(0, 7, 8, 2);
        assertThat(roberta.process(IDS, false)).containsExactly(7, 8);
    }

    @Test
    void byteLevelAddsNothingAndSequencesChain() {
        assertThat(StageJson.postProcessor("{\"type\": \"ByteLevel\", \"trim_offsets\": false}").process(IDS, true))
                .containsExactly(7, 8);
        PostProcessor seq = StageJson.postProcessor("{\"type\": \"Sequence\", \"processors\": ["
                + "{\"type\": \"ByteLevel\"}, {\"type\": \"BertProcessing\", \"sep\": [\"b\", 2], \"cls\": [\"a\", 1]}]}");
        assertThat(seq.process(IDS, true)).containsExactly(1, 7, 8, 2);
        assertThat(StageJson.postProcessor("null").process(IDS, true)).containsExactly(7, 8);
    }
}
