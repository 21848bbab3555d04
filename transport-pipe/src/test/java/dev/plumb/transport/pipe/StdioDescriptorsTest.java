package dev.plumb.transport.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.plumb.proto.testing.ConformanceGrpc;
import dev.plumb.proto.testing.EchoRequest;
import dev.plumb.proto.testing.ServerInfoRequest;
import dev.plumb.rpc.PlumbChannelBuilder;
import dev.plumb.rpc.testing.ChildJvm;
import dev.plumb.rpc.testing.Cleanup;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stdio: child's descriptor 1 is out of the protocol's way: what the child's code, its
 * subprocesses and the JVM itself write to stdout lands on its stderr, and its calls go on.
 */
@Timeout(60)
class StdioDescriptorsTest {
  /** O_CLOEXEC as /proc/PID/fdinfo shows it, in octal. */
  private static final int O_CLOEXEC = 02000000;

  private final Cleanup cleanup = new Cleanup();
  @TempDir
  Path dir;

  @AfterEach
  void close() throws Exception {
    cleanup.close();
  }

  @Test
  void stdoutWrittenByTheServiceASubprocessAndAThreadDumpLandsOnStderr() throws Exception {
    Path stderr = dir.resolve("child.err");
    // The shell execs the JVM (same pid, same parent) with its stderr in a file to read.
    ManagedChannel channel = cleanup.add(PlumbChannelBuilder.forTarget("pipe:sh -c \"exec "
        + ChildJvm.commandLine(NoisyServerMain.class) + " 2>>'" + stderr + "'\"#maxStarts=1")
        .build());
    ConformanceGrpc.ConformanceBlockingStub stub =
        ConformanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    long pid = stub.serverInfo(ServerInfoRequest.getDefaultInstance()).getPid();
    for (int i = 0; i < 10; i++) {
      ByteString payload = ByteString.copyFromUtf8("call " + i);
      assertEquals(payload,
          stub.unary(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
    }
    // maxStarts=1: a child that had died would not have been replaced.
    assertEquals(pid, stub.serverInfo(ServerInfoRequest.getDefaultInstance()).getPid());

    String text = awaitContent(stderr, NoisyServerMain.THREAD_DUMP);
    assertTrue(text.contains(NoisyServerMain.PRINTED), text);
    assertTrue(text.contains(NoisyServerMain.SUBPROCESS), text);
    assertTrue(text.contains(NoisyServerMain.SUBPROCESS_STDIN + "/dev/null"), text);

    assertEquals(link(pid, 2), link(pid, 1), "descriptor 1 should be stderr");
    assertEquals("/dev/null", link(pid, 0));
    List<String> protocolPipes = new ArrayList<>();
    try (DirectoryStream<Path> open = Files.newDirectoryStream(Paths.get("/proc/" + pid + "/fd"))) {
      for (Path fd : open) {
        if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
          protocolPipes.add(fd.getFileName().toString());
          assertTrue((flags(pid, fd.getFileName().toString()) & O_CLOEXEC) != 0,
              "pipe descriptor " + fd.getFileName() + " is not close-on-exec");
        }
      }
    }
    assertEquals(2, protocolPipes.size(), "the child's pipes: " + protocolPipes);
  }

  /** The file's text once it holds {@code marker}; a thread dump is written asynchronously. */
  private static String awaitContent(Path file, String marker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      if (text.contains(marker) || System.nanoTime() > deadline) {
        assertTrue(text.contains(marker), "no '" + marker + "' in the child's stderr:\n" + text);
        return text;
      }
      Thread.sleep(50);
    }
  }

  private static String link(long pid, int fd) throws IOException {
    return Files.readSymbolicLink(Paths.get("/proc/" + pid + "/fd/" + fd)).toString();
  }

  private static int flags(long pid, String fd) throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/fdinfo/" + fd))) {
      if (line.startsWith("flags:")) {
        return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
      }
    }
    throw new IOException("no flags in /proc/" + pid + "/fdinfo/" + fd);
  }
}
