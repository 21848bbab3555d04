/**
 * Authorization by TLS client certificate: {@link dev.plumb.examples.tls.SubjectAllowList}, a
 * server interceptor that admits a call only if the client's certificate, checked by mutual TLS
 * on {@code tcp:}, names an allowed subject.
 */
package dev.plumb.examples.tls;
