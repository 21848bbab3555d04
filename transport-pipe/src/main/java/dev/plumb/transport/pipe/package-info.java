/**
 * The {@code pipe:} and {@code stdio:} transports: a client starts its server as a child
 * process ({@code pipe:COMMAND}) and speaks the Plumb protocol over the child's stdin and
 * stdout, where the child listens on {@code stdio:}. Found by the core through
 * {@code ServiceLoader}; applications name it only in targets and listen addresses. The public
 * classes are public for that registration alone; nothing here is API to call.
 */
package dev.plumb.transport.pipe;
