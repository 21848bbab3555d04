/**
 * The {@code mem:} transport: both ends in one JVM, frames handed over as objects. The
 * reference that every suite runs on, so that a failure elsewhere points at the transport; a
 * transport like the others, built on {@link dev.plumb.rpc.spi} and {@link dev.plumb.rpc.kit}.
 */
package dev.plumb.rpc.memory;
