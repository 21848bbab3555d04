/**
 * Plumb settings from configuration rather than code: system properties, environment
 * variables and a properties file, in that order of precedence, applied to the builders of
 * {@link dev.plumb.rpc}. For applications and tools; nothing below the API layer uses it.
 */
package dev.plumb.rpc.config;
