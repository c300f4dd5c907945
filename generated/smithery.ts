// generated — do not edit. Source: specs/smithery.yaml. Regenerate with: npx mcp-contracts generate

export interface paths {
    "/connect/{namespace}/{connectionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete connection
         * @description Delete a connection and terminate its MCP session. Requires API key and namespace ownership.
         */
        delete: operations["deleteSmithery.run:namespace:connectionId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Success: {
            /** @constant */
            success: true;
        };
        Error: {
            /** @example not_found */
            error: string;
            /** @example Resource not found */
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "deleteSmithery.run:namespace:connectionId": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                namespace: string;
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Connection deleted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Success"];
                };
            };
            /** @description Bad request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or invalid API key. Not in the published contract, which secures this operation with bearerAuth but documents no 401; added so that clients and the mock agree on what a bad key gets. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": "unauthorized",
                     *       "message": "Missing or invalid API key"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Namespace or connection not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
