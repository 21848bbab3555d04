/**
 * Logging that a peer cannot flood: {@link dev.plumb.rpc.log.RateLimitedWarnings} writes at
 * most so many warnings of a kind per interval and counts the rest, each kind's budget a
 * {@link dev.plumb.rpc.log.RateWindow}, which a transport may use alone for other lines a peer
 * can cause (a child's stderr). Depends on nothing else in Plumb; the core and the transports
 * use it for every warning a peer can cause per frame, stream or connection.
 */
package dev.plumb.rpc.log;
