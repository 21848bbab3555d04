/**
 * The wire format: frames, their codec and streaming decoder, the connection preface, and the
 * pool that lends payload arrays. Depends on nothing else in Plumb; every other layer may use
 * it. Transport authors use it to move frames; only the session interprets them.
 */
package dev.plumb.rpc.frame;
