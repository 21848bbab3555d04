package dev.plumb.demo;

import java.util.ArrayList;
import java.util.List;

/** The answers the demo checked: how many were right, and what was wrong with the others. */
public final class Checklist {
  private int passed;
  private final List<String> failures = new ArrayList<>();

  public void pass() {
    passed++;
  }

  public void fail(String what) {
    failures.add(what);
  }

  public int passed() {
    return passed;
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  public boolean allPassed() {
    return failures.isEmpty();
  }
}
