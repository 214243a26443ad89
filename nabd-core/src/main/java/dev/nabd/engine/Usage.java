package dev.nabd.engine;

/**
 * Token counts of one request, as the OpenAI API reports them.
 *
 * @param promptTokens tokens of the prompt
 * @param completionTokens tokens generated (an end-of-generation token that stopped the request is not
 *                         counted, nor are tokens after a stop string)
 * @param cachedTokens prompt tokens whose keys and values came from the prefix cache instead of being
 *                     computed again
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
