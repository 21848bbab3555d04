package dev.plumb.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import dev.plumb.shared.proto.SharedBytes;
import dev.plumb.shared.testing.Batch;
import dev.plumb.shared.testing.Plain;
import dev.plumb.shared.testing.Tree;
import dev.plumb.shared.testing.Upload;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SharedBytesFieldsTest {
  private static SharedBytes ref(int n) {
    return SharedBytes.newBuilder().setToken(ByteString.copyFrom(new byte[] {(byte) n}))
        .setLength(n).build();
  }

  @Test
  void findsAFieldAtTheTop() {
    assertEquals(List.of(ref(1)),
        SharedBytesFields.in(Upload.newBuilder().setName("a").setData(ref(1)).build()));
    assertEquals(List.of(), SharedBytesFields.in(Upload.newBuilder().setName("a").build()));
  }

  @Test
  void findsThemInRepeatedMapAndOneofFieldsInFieldOrder() {
    Batch batch = Batch.newBuilder()
        .addUploads(Upload.newBuilder().setData(ref(1)))
        .addUploads(Upload.newBuilder().setName("no data"))
        .addUploads(Upload.newBuilder().setData(ref(2)))
        .putByName("x", ref(3))
        .setPicked(ref(4))
        .build();
    assertEquals(List.of(ref(1), ref(2), ref(3), ref(4)), SharedBytesFields.in(batch));
  }

  @Test
  void findsThemBehindACycleOfTypes() {
    Tree tree = Tree.newBuilder()
        .setLeft(Tree.newBuilder().setRight(Tree.newBuilder().setLeaf(ref(1))))
        .setLeaf(ref(2))
        .build();
    assertTrue(SharedBytesFields.reaches(Tree.getDescriptor()));
    assertEquals(List.of(ref(1), ref(2)), SharedBytesFields.in(tree));
  }

  @Test
  void aTypeThatCannotHoldOneIsToldSoWithoutAWalk() {
    assertFalse(SharedBytesFields.reaches(Plain.getDescriptor()));
    assertEquals(List.of(), SharedBytesFields.in(
        Plain.newBuilder().setText("t").setNext(Plain.newBuilder().setText("u")).build()));
  }

  @Test
  void readsDynamicMessagesOfTheType() throws Exception {
    DynamicMessage dynamic = DynamicMessage.parseFrom(Upload.getDescriptor(),
        Upload.newBuilder().setData(ref(5)).build().toByteString());
    assertEquals(List.of(ref(5)), SharedBytesFields.in(dynamic));
  }
}
