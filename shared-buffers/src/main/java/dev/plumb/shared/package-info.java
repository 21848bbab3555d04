/**
 * Shared buffers: sealed, nameless memory segments (Linux memfd) that a process writes once
 * ({@link dev.plumb.shared.SharedBuffer}) and names in any message by a
 * {@link dev.plumb.shared.proto.SharedBytes} field; the receiver reads them in place, read-only
 * ({@link dev.plumb.shared.SharedBuffers#open}). docs/SHARED_BUFFERS.md describes the design,
 * its safety model, and what is built so far.
 */
package dev.plumb.shared;
