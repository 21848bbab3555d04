/**
 * Attachments: bytes that travel beside a call's messages rather than inside them (a sealed
 * memory segment, by descriptor where the link passes descriptors, its bytes inline where it
 * does not). The core moves them and knows nothing of protobuf; a module on the class path
 * (plumb-shared-buffers) maps messages to attachments through the {@link
 * dev.plumb.rpc.attach.AttachmentSupport} hook, which the core's builders load. See
 * docs/SHARED_BUFFERS.md, "The attachment path".
 */
package dev.plumb.rpc.attach;
