package dev.nabd.server;

import java.util.Map;

/**
 * An error the API reports to the client, shaped as OpenAI's:
 * {@code {"error": {"message", "type", "param", "code"}}} with an HTTP status.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;
    final String param;
    final String code;
    final transient Map<String, String> headers;

    ApiException(int status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = headers;
    }

    /** 400: the request is malformed or a value is not allowed. */
    static ApiException invalid(String message, String param) {
        return new ApiException(400, message, "invalid_request_error", param, null, Map.of());
    }

    static ApiException invalid(String message, String param, String code) {
        return new ApiException(400, message, "invalid_request_error", param, code, Map.of());
    }

    static ApiException unauthorized() {
        return new ApiException(401, "Incorrect or missing API key. Send it as 'Authorization: Bearer KEY'.",
                "invalid_request_error", null, "invalid_api_key", Map.of("WWW-Authenticate", "Bearer"));
    }

    static ApiException notFound(String message, String code) {
        return new ApiException(404, message, "invalid_request_error", null, code, Map.of());
    }

    static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, method + " is not allowed on " + path, "invalid_request_error", null,
                "method_not_allowed", Map.of());
    }

    static ApiException tooLarge(int limit) {
        return new ApiException(413, "the request body is larger than " + limit + " bytes", "invalid_request_error",
                null, "request_too_large", Map.of());
    }

    static ApiException busy(String message) {
        return new ApiException(429, message, "rate_limit_error", null, "rate_limit_exceeded", Map.of("Retry-After", "1"));
    }

    static ApiException loading() {
        return new ApiException(503, "the model is loading", "unavailable_error", null, "model_loading", Map.of("Retry-After", "1"));
    }
}
