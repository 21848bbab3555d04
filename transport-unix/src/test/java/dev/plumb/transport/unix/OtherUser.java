package dev.plumb.transport.unix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a JVM as the unprivileged user {@code nobody}, for access-control tests: through
 * {@code setpriv} (util-linux) or else {@code runuser}, which only root may use. The class path
 * (in ~/.m2 and the build's folders, which nobody may not be able to read) is shared through
 * a folder of hard links (copies where links are impossible) that nobody can read.
 */
public final class OtherUser {
  public static final String NAME = "nobody";

  private OtherUser() {}

  /** Why no process can be started as another user here; empty if one can. */
  public static Optional<String> unavailableReason() {
    if (!Identity.isRoot()) {
      return Optional.of("the tests run as uid " + Identity.ofThisProcess().uid().getAsLong()
          + ", not root, so they cannot start a client as another user");
    }
    if (launcher().isEmpty()) {
      return Optional.of("neither setpriv nor runuser is installed");
    }
    if (id("-u").isEmpty()) {
      return Optional.of("there is no user '" + NAME + "'");
    }
    return Optional.empty();
  }

  /** Skips the calling test, with the reason, where no process can be started as nobody. */
  public static void assumeAvailable() {
    String skip = unavailableReason().orElse(null);
    Assumptions.assumeTrue(skip == null, skip);
  }

  private static Optional<Path> launcher() {
    for (String tool : new String[] {"setpriv", "runuser"}) {
      for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
        Path candidate = Paths.get(dir, tool);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** {@code id -u nobody} or {@code id -g nobody}. */
  public static Optional<Long> id(String which) {
    try {
      Process id = new ProcessBuilder("id", which, NAME).redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!id.waitFor(10, TimeUnit.SECONDS) || id.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(out));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Runs {@code mainClass} with {@code args} as nobody, with this JVM's class path made
   * readable under {@code scratch} (which must be traversable by nobody), and returns its
   * standard output once it exits.
   */
  public static String runJava(Path scratch, Class<?> mainClass, List<String> args)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(javaCommand(scratch, mainClass, args))
        .directory(scratch.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    process.getOutputStream().close();
    try (InputStream out = process.getInputStream()) {
      String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the client did not exit; it printed " + output);
      }
      return output;
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Creates {@code folder}, in which anyone, {@code nobody} too, may create files. */
  public static Path writableFolder(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    return folder;
  }

  /**
   * The command that runs {@code mainClass} with {@code args} as nobody, with this JVM's class
   * path made readable under {@code scratch} (which must be traversable by nobody).
   */
  public static List<String> javaCommand(Path scratch, Class<?> mainClass, List<String> args)
      throws IOException {
    String classPath = shareClassPath(scratch.resolve("classpath"));
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    Path tool = launcher().orElseThrow();
    if (tool.getFileName().toString().equals("setpriv")) {
      command.addAll(List.of(tool.toString(), "--reuid=" + NAME, "--regid=" + id("-g").get(),
          "--clear-groups", "--"));
    } else {
      command.addAll(List.of(tool.toString(), "-u", NAME, "--"));
    }
    command.addAll(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", classPath,
        mainClass.getName()));
    command.addAll(args);
    return command;
  }

  private static String shareClassPath(Path target) throws IOException {
    Files.createDirectories(target);
    List<String> entries = new ArrayList<>();
    int index = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path source = Paths.get(entry).toAbsolutePath();
      Path shared = target.resolve((index++) + "-" + source.getFileName());
      if (Files.isDirectory(source)) {
        linkTree(source, shared);
      } else if (Files.isRegularFile(source)) {
        link(source, shared);
      } else {
        continue;
      }
      entries.add(shared.toString());
    }
    makeReadable(target.getParent());
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static void linkTree(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Files.createDirectories(target.resolve(source.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        link(file, target.resolve(source.relativize(file).toString()));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void link(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(source, target);
    }
  }

  /**
   * Lets others read every file and enter every folder under {@code root}, keeping what a
   * folder allowed already (a folder others may write to stays so).
   */
  private static void makeReadable(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        permissions.addAll(PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, permissions);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
