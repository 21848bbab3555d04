package dev.plumb.daemon;

/** {@code --log-format}: one line of text per event, or one JSON object per line. */
enum LogFormat {
  TEXT,
  JSON
}
