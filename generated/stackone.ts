// generated — do not edit. Source: specs/stackone.yaml. Regenerate with: npx mcp-contracts generate

export interface paths {
    "/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an MCP message
         * @description Send a JSON-RPC 2.0 message to the StackOne MCP server over the MCP Streamable HTTP transport. `initialize` opens a session and returns its id in the `mcp-session-id` response header; every later call carries that header. Protocol-level failures are JSON-RPC `error` objects in a 200 response; tool-level failures are a `result` with `isError: true`. HTTP-level failures (credentials, missing or unknown session) use the StackOne error responses.
         */
        post: operations["stackone_mcp_post"];
        /**
         * Delete MCP session
         * @description Close an existing MCP session for the provided session id
         */
        delete: operations["stackone_mcp_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        BadRequestResponse: {
            /**
             * @description HTTP status code
             * @example 400
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Bad Request
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
            /** @description Error details */
            data?: components["schemas"]["UnifiedError"] | null;
            /** @description List of provider-specific errors */
            provider_errors?: components["schemas"]["ProviderError"][] | null;
        };
        UnauthorizedResponse: {
            /**
             * @description HTTP status code
             * @example 401
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Unauthorized
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        ForbiddenResponse: {
            /**
             * @description HTTP status code
             * @example 403
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Forbidden resource
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        NotFoundResponse: {
            /**
             * @description HTTP status code
             * @example 404
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Not Found
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        RequestTimedOutResponse: {
            /**
             * @description HTTP status code
             * @example 408
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Request timed out
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        ConflictResponse: {
            /**
             * @description HTTP status code
             * @example 409
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Conflict
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        UnprocessableEntityResponse: {
            /**
             * @description HTTP status code
             * @example 422
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Unprocessable Entity
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        TooManyRequestsResponse: {
            /**
             * @description HTTP status code
             * @example 429
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Too many requests
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        InternalServerErrorResponse: {
            /**
             * @description HTTP status code
             * @example 500
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Internal server error
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        NotImplementedResponse: {
            /**
             * @description HTTP status code
             * @example 501
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Not Implemented
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        BadGatewayResponse: {
            /**
             * @description HTTP status code
             * @example 502
             */
            statusCode: number;
            /**
             * @description Error message
             * @example Bad Gateway
             */
            message: string;
            /**
             * Format: date-time
             * @description Timestamp when the error occurred
             * @example 2023-05-30T00:00:00.000Z
             */
            timestamp: string;
        };
        UnifiedError: {
            /**
             * @description HTTP status code
             * @example 400
             */
            statusCode?: number | null;
            /**
             * @description Error message
             * @example Bad Request
             */
            message?: string | null;
            /**
             * @description Response headers
             * @example {
             *       "content-type": "application/json",
             *       "x-request-id": "5678c28b211dace4e0a0f9171e6b88c5"
             *     }
             */
            headers?: Record<string, unknown> | null;
        };
        ProviderError: {
            /**
             * @description HTTP status code of the provider error
             * @example 400
             */
            status?: number | null;
            /**
             * @description URL that caused the error
             * @example https://api.provider.com/v1/resource
             */
            url?: string | null;
            /**
             * @description Raw error response from the provider
             * @example {
             *       "message": "Invalid input parameters"
             *     }
             */
            raw?: Record<string, unknown> | null;
            /**
             * @description Response headers
             * @example {
             *       "content-type": "application/json",
             *       "x-request-id": "5678c28b211dace4e0a0f9171e6b88c5"
             *     }
             */
            headers?: Record<string, unknown> | null;
        };
        /** @description JSON-RPC request id (string or number), echoed back in the response. */
        JsonRpcId: string | number;
        /** @description A JSON-RPC 2.0 message from an MCP client. Supported methods: `initialize`, `notifications/initialized`, `tools/list`, `tools/call`, `ping`. */
        McpClientMessage: components["schemas"]["McpInitializeRequest"] | components["schemas"]["McpInitializedNotification"] | components["schemas"]["McpToolsListRequest"] | components["schemas"]["McpToolsCallRequest"] | components["schemas"]["McpPingRequest"];
        /** @description Open a session. Sent without `mcp-session-id`. */
        McpInitializeRequest: {
            /**
             * @description JSON-RPC protocol version
             * @constant
             */
            jsonrpc: "2.0";
            id: components["schemas"]["JsonRpcId"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            method: "initialize";
            params: {
                /**
                 * @description Latest MCP protocol version the client supports.
                 * @example 2025-03-26
                 */
                protocolVersion: string;
                /** @description Client capabilities. */
                capabilities: Record<string, unknown>;
                clientInfo: components["schemas"]["McpImplementation"];
            };
        };
        /** @description Sent by the client once it has processed the `initialize` result. A notification: it has no `id` and gets no JSON-RPC answer (HTTP 202). */
        McpInitializedNotification: {
            /** @constant */
            jsonrpc: "2.0";
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            method: "notifications/initialized";
            params?: Record<string, unknown>;
        };
        /** @description List the tools available to the session's linked accounts. */
        McpToolsListRequest: {
            /** @constant */
            jsonrpc: "2.0";
            id: components["schemas"]["JsonRpcId"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            method: "tools/list";
            params?: {
                /** @description Opaque pagination cursor from a previous `nextCursor`. */
                cursor?: string;
            };
        };
        /** @description Call one tool by name. */
        McpToolsCallRequest: {
            /** @constant */
            jsonrpc: "2.0";
            id: components["schemas"]["JsonRpcId"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            method: "tools/call";
            params: {
                /** @description Tool name, as returned by `tools/list`. */
                name: string;
                /** @description Tool arguments, matching the tool's `inputSchema`. */
                arguments?: Record<string, unknown>;
            };
        };
        /** @description Liveness check; answered with an empty result. */
        McpPingRequest: {
            /** @constant */
            jsonrpc: "2.0";
            id: components["schemas"]["JsonRpcId"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            method: "ping";
            params?: Record<string, unknown>;
        };
        /** @description Name and version of an MCP client or server. */
        McpImplementation: {
            name: string;
            title?: string;
            version: string;
        };
        /** @description A JSON-RPC 2.0 response: `result` on success or `error` on a protocol-level failure, never both. */
        JsonRpcResponse: components["schemas"]["JsonRpcSuccessResponse"] | components["schemas"]["JsonRpcErrorResponse"];
        JsonRpcSuccessResponse: {
            /**
             * @example 2.0
             * @constant
             */
            jsonrpc: "2.0";
            id: components["schemas"]["JsonRpcId"];
            result: components["schemas"]["McpResult"];
        };
        JsonRpcErrorResponse: {
            /** @constant */
            jsonrpc: "2.0";
            /** @description Echoes the id from the request. null for protocol-level errors where the id could not be determined. */
            id: string | number | null;
            error: components["schemas"]["JsonRpcError"];
        };
        /** @description Present on protocol-level failure. */
        JsonRpcError: {
            /**
             * @description JSON-RPC error code: -32700 parse error, -32600 invalid request, -32601 method not found, -32602 invalid params, -32603 internal error.
             * @example -32600
             */
            code: number;
            /** @example Invalid request */
            message: string;
            /** @description Additional information about the error. */
            data?: unknown;
        };
        /** @description Present on success. Shape varies by method: `initialize`, `tools/list`, `tools/call`, or an empty result (`ping`). */
        McpResult: components["schemas"]["McpInitializeResult"] | components["schemas"]["McpToolsListResult"] | components["schemas"]["McpToolsCallResult"] | components["schemas"]["McpEmptyResult"];
        McpInitializeResult: {
            /**
             * @description The protocol version the server chose.
             * @example 2025-03-26
             */
            protocolVersion: string;
            capabilities: {
                tools?: {
                    listChanged?: boolean;
                };
            };
            serverInfo: components["schemas"]["McpImplementation"];
            instructions?: string;
        };
        McpToolsListResult: {
            tools: components["schemas"]["McpTool"][];
            /** @description Present when more tools can be listed. */
            nextCursor?: string;
        };
        McpTool: {
            name: string;
            title?: string;
            description?: string;
            /** @description JSON Schema of the tool's arguments. */
            inputSchema: {
                /** @constant */
                type: "object";
            };
            annotations?: Record<string, unknown>;
        };
        /** @description Result of a tool call. A tool-level failure is a result with `isError: true`, not a JSON-RPC error. */
        McpToolsCallResult: {
            content: components["schemas"]["McpContent"][];
            structuredContent?: Record<string, unknown>;
            isError?: boolean;
        };
        McpContent: {
            /** @enum {string} */
            type: "text" | "image" | "audio" | "resource" | "resource_link";
            text?: string;
        };
        /** @description Empty result (for `ping`). */
        McpEmptyResult: {
            _meta?: Record<string, unknown>;
        };
        /** @description One JSON-RPC message sent by the server on an SSE stream. */
        McpServerMessage: components["schemas"]["JsonRpcResponse"] | components["schemas"]["McpServerNotification"];
        /** @description A server-to-client notification (for example progress or logging). */
        McpServerNotification: {
            /** @constant */
            jsonrpc: "2.0";
            method: string;
            params?: Record<string, unknown>;
        };
        /** @description One Server-Sent Event of a `text/event-stream` response, in the shape of OpenAPI 3.2's `itemSchema` for SSE: `data` holds one JSON-RPC message as JSON text. */
        McpSseEvent: {
            /**
             * @description Event type; `message` when present.
             * @constant
             */
            event?: "message";
            id?: string;
            retry?: number;
            data: string;
        };
    };
    responses: {
        /** @description Invalid request. */
        StackOneBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BadRequestResponse"];
            };
        };
        /** @description Unauthorized access. */
        StackOneUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnauthorizedResponse"];
            };
        };
        /** @description Forbidden. */
        StackOneForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ForbiddenResponse"];
            };
        };
        /** @description Resource not found. */
        StackOneNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NotFoundResponse"];
            };
        };
        /** @description The request has timed out. */
        StackOneRequestTimedOut: {
            headers: {
                /** @description A time in seconds after which the request can be retried. */
                "Retry-After"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["RequestTimedOutResponse"];
            };
        };
        /** @description Conflict with current state. */
        StackOneConflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ConflictResponse"];
            };
        };
        /** @description Validation error. */
        StackOneUnprocessableEntity: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnprocessableEntityResponse"];
            };
        };
        /** @description Too many requests. */
        StackOneTooManyRequests: {
            headers: {
                /** @description A time in seconds after which the request can be retried. */
                "Retry-After"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TooManyRequestsResponse"];
            };
        };
        /** @description Server error while executing the request. */
        StackOneInternalServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InternalServerErrorResponse"];
            };
        };
        /** @description This functionality is not implemented. */
        StackOneNotImplemented: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NotImplementedResponse"];
            };
        };
        /** @description Bad gateway error. */
        StackOneBadGateway: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["BadGatewayResponse"];
            };
        };
    };
    parameters: {
        /** @description Account secure id for the target provider account (optional if x-account-id query parameter is provided) */
        McpAccountIdHeader: string;
        /** @description Account secure id (alternative to x-account-id header) */
        McpAccountIdQuery: string;
        /** @description Session id; omit for initialize, include for subsequent calls */
        McpSessionIdHeader: string;
        /** @description MCP protocol version negotiated at initialize, sent on every later request (MCP 2025-06-18 and later). Without it the server goes by the version the session negotiated, and assumes 2025-03-26 when there is none; an invalid or unsupported one is a 400. */
        McpProtocolVersionHeader: "2025-03-26" | "2025-06-18" | "2025-11-25";
        /**
         * @description Response format. Include text/event-stream to receive SSE, application/json for standard JSON, or both. (OpenAPI tools ignore a header parameter named Accept; it is kept here because the docs page documents it, and the 200 response's two media types carry the same information.)
         * @example application/json, text/event-stream
         */
        McpAcceptHeader: string;
        /** @description Parameter schema style: "nested" (default) groups by location, "flat_prefixed" flattens with location prefix, "flat_smart" flattens and only prefixes on name collision */
        McpParamStyle: "nested" | "flat_prefixed" | "flat_smart";
        /** @description Tool registration mode: "individual" (default) registers each action as a separate tool; "search_execute" registers two tools per linked account for a search-then-execute flow */
        McpToolMode: "individual" | "search_execute";
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    stackone_mcp_post: {
        parameters: {
            query?: {
                /** @description Account secure id (alternative to x-account-id header) */
                "x-account-id"?: components["parameters"]["McpAccountIdQuery"];
                /** @description Parameter schema style: "nested" (default) groups by location, "flat_prefixed" flattens with location prefix, "flat_smart" flattens and only prefixes on name collision */
                "param-style"?: components["parameters"]["McpParamStyle"];
                /** @description Tool registration mode: "individual" (default) registers each action as a separate tool; "search_execute" registers two tools per linked account for a search-then-execute flow */
                "tool-mode"?: components["parameters"]["McpToolMode"];
            };
            header?: {
                /** @description Account secure id for the target provider account (optional if x-account-id query parameter is provided) */
                "x-account-id"?: components["parameters"]["McpAccountIdHeader"];
                /** @description Session id; omit for initialize, include for subsequent calls */
                "mcp-session-id"?: components["parameters"]["McpSessionIdHeader"];
                /** @description MCP protocol version negotiated at initialize, sent on every later request (MCP 2025-06-18 and later). Without it the server goes by the version the session negotiated, and assumes 2025-03-26 when there is none; an invalid or unsupported one is a 400. */
                "MCP-Protocol-Version"?: components["parameters"]["McpProtocolVersionHeader"];
                /**
                 * @description Response format. Include text/event-stream to receive SSE, application/json for standard JSON, or both. (OpenAPI tools ignore a header parameter named Accept; it is kept here because the docs page documents it, and the 200 response's two media types carry the same information.)
                 * @example application/json, text/event-stream
                 */
                Accept?: components["parameters"]["McpAcceptHeader"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON-RPC 2.0 message */
        requestBody: {
            content: {
                "application/json": components["schemas"]["McpClientMessage"];
            };
        };
        responses: {
            /** @description Processed successfully. The JSON-RPC response (`result` on success, `error` on a protocol-level failure), as `application/json` or as a `text/event-stream` whose events each carry one JSON-RPC message, depending on `Accept`. */
            200: {
                headers: {
                    /** @description Id of the session opened by `initialize`; send it in the `mcp-session-id` header of every later call. Only present on the response to `initialize`. */
                    "mcp-session-id"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcResponse"];
                    "text/event-stream": string;
                };
            };
            /** @description Accepted: the message was a JSON-RPC notification or response, which gets no JSON-RPC answer. No body. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["StackOneBadRequest"];
            401: components["responses"]["StackOneUnauthorized"];
            403: components["responses"]["StackOneForbidden"];
            404: components["responses"]["StackOneNotFound"];
            408: components["responses"]["StackOneRequestTimedOut"];
            409: components["responses"]["StackOneConflict"];
            422: components["responses"]["StackOneUnprocessableEntity"];
            429: components["responses"]["StackOneTooManyRequests"];
            500: components["responses"]["StackOneInternalServerError"];
            501: components["responses"]["StackOneNotImplemented"];
            502: components["responses"]["StackOneBadGateway"];
        };
    };
    stackone_mcp_delete: {
        parameters: {
            query?: {
                /** @description Account secure id (alternative to x-account-id header) */
                "x-account-id"?: unknown;
            };
            header: {
                /** @description Account secure id for the target provider account (optional if x-account-id query parameter is provided) */
                "x-account-id"?: string;
                /** @description Session id */
                "mcp-session-id": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Session closed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BadRequestResponse"];
                };
            };
            /** @description Unauthorized access. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnauthorizedResponse"];
                };
            };
            /** @description Forbidden. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForbiddenResponse"];
                };
            };
            /** @description Resource not found. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotFoundResponse"];
                };
            };
            /** @description The request has timed out. */
            408: {
                headers: {
                    /** @description A time in seconds after which the request can be retried. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestTimedOutResponse"];
                };
            };
            /** @description Conflict with current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConflictResponse"];
                };
            };
            /** @description Validation error. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnprocessableEntityResponse"];
                };
            };
            /** @description Too many requests. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TooManyRequestsResponse"];
                };
            };
            /** @description Server error while executing the request. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InternalServerErrorResponse"];
                };
            };
            /** @description This functionality is not implemented. */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotImplementedResponse"];
                };
            };
            /** @description Bad gateway error. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BadGatewayResponse"];
                };
            };
        };
    };
}
