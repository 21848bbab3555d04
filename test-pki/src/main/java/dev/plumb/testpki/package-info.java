/**
 * Certificates made at run time for TLS tests and benchmarks: a
 * {@link dev.plumb.testpki.TestCertificateAuthority} issues server and client certificates
 * ({@link dev.plumb.testpki.IssuedCertificate}), valid or not, with fresh keys, written as the
 * PEM files that gRPC's {@code TlsServerCredentials} and {@code TlsChannelCredentials} read. Keys
 * live only as long as the run; nothing here is fit for production.
 */
package dev.plumb.testpki;
