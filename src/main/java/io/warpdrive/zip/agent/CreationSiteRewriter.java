package io.warpdrive.zip.agent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites object creations of the replaced java.util.zip classes
 * ({@code NEW C} with its matching {@code INVOKESPECIAL C.<init>}, and
 * {@code C::new} method references) into the Hw twins.
 *
 * <p>Two passes over the class. The first pairs every {@code NEW} with its
 * constructor call, innermost first, in bytecode order (the shape every
 * Java compiler emits); a constructor call with no pending {@code NEW} is a
 * {@code super(...)}/{@code this(...)} call and is never touched, so user
 * subclasses of Deflater and friends keep their parent. A method whose
 * pairing does not work out (a {@code NEW} never initialised, a stray
 * constructor call) is left entirely alone. The second pass swaps the
 * owner of the paired instructions. Descriptors are identical, so the
 * operand stack has the same shape everywhere: stack map frames stay valid
 * (the Hw type is assignable to every JDK type a frame may name) and the
 * writer only recomputes max stack/locals.
 */
final class CreationSiteRewriter {
    private static final byte[] ZIP_PACKAGE = "java/util/zip/".getBytes(StandardCharsets.US_ASCII);
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
    private static final String CONSTRUCTOR = "<init>";

    /** One rewritten site, for the verbose log. */
    record Site(String method, int line, String what) {
    }

    /** A rewritten class file and the sites changed in it. */
    record Result(byte[] bytes, List<Site> sites) {
    }

    /** The instructions of one method to rewrite, by their order among candidates. */
    private static final class Plan {
        final Set<Integer> news = new HashSet<>();
        final Set<Integer> inits = new HashSet<>();
    }

    private final Replacements table;

    CreationSiteRewriter(Replacements table) {
        this.table = table;
    }

    /**
     * Rewrites a class file.
     *
     * @return the new class file and its sites, or null when nothing needs rewriting
     * @throws RuntimeException from ASM when the class file cannot be read
     */
    Result rewrite(byte[] classfile) {
        if (!contains(classfile, ZIP_PACKAGE)) {
            return null; // most classes: no java.util.zip name in the constant pool at all
        }
        ClassReader reader = new ClassReader(classfile);
        Scan scan = new Scan();
        reader.accept(scan, ClassReader.SKIP_FRAMES);
        if (scan.sites.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new Rewrite(writer, scan.plans), 0);
        return new Result(writer.toByteArray(), List.copyOf(scan.sites));
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The Hw version of a {@code C::new} handle, or null when it is not one of ours. */
    private Handle replacement(Handle h) {
        if (h.getTag() != Opcodes.H_NEWINVOKESPECIAL || !table.replaceable(h.getOwner(), h.getDesc())) {
            return null;
        }
        return new Handle(Opcodes.H_NEWINVOKESPECIAL, table.twin(h.getOwner()), CONSTRUCTOR, h.getDesc(), false);
    }

    /**
     * Only plain lambda metafactory call sites adapt the return type for us.
     * Serializable lambdas (altMetafactory) are left alone: their
     * deserialisation code compares the implementation class by name.
     * A bare {@code ldc MethodHandle} is left alone too: its exact type is
     * visible to {@code invokeExact}.
     */
    private static boolean isMetafactory(Handle bsm) {
        return LAMBDA_METAFACTORY.equals(bsm.getOwner()) && "metafactory".equals(bsm.getName());
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String arguments(String descriptor) {
        StringBuilder sb = new StringBuilder("(");
        Type[] args = Type.getArgumentTypes(descriptor);
        for (int i = 0; i < args.length; i++) {
            String n = args[i].getClassName();
            sb.append(i == 0 ? "" : ", ").append(n.substring(n.lastIndexOf('.') + 1));
        }
        return sb.append(')').toString();
    }

    /** Pass 1: pairs creations with their constructor calls and plans the rewrite. */
    private final class Scan extends ClassVisitor {
        final Map<String, Plan> plans = new HashMap<>();
        final List<Site> sites = new ArrayList<>();
        private String superName;

        Scan() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.superName = superName;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return new MethodScan(name, descriptor);
        }

        private final class MethodScan extends MethodVisitor {
            private final String key;
            private final String display;
            private final boolean constructor;
            private final Plan plan = new Plan();
            private final List<Site> found = new ArrayList<>();
            /** Per replaced class: the {@code NEW}s not yet initialised, as {ordinal, line}. */
            private final Map<String, Deque<int[]>> pending = new HashMap<>();
            private int line = -1;
            private int newOrdinal;
            private int initOrdinal;
            private boolean unusual;

            MethodScan(String name, String descriptor) {
                super(Opcodes.ASM9);
                this.key = name + descriptor;
                this.display = name + arguments(descriptor);
                this.constructor = CONSTRUCTOR.equals(name);
            }

            @Override
            public void visitLineNumber(int line, Label start) {
                this.line = line;
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                if (opcode == Opcodes.NEW && table.twin(type) != null) {
                    pending.computeIfAbsent(type, t -> new ArrayDeque<>()).push(new int[] {newOrdinal++, line});
                }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                        boolean isInterface) {
                if (opcode != Opcodes.INVOKESPECIAL || !CONSTRUCTOR.equals(name) || table.twin(owner) == null) {
                    return;
                }
                int ordinal = initOrdinal++;
                Deque<int[]> open = pending.get(owner);
                if (open == null || open.isEmpty()) {
                    // super(...) in a subclass constructor: not a creation, never rewritten
                    if (!constructor || !owner.equals(superName)) {
                        unusual = true;
                    }
                    return;
                }
                int[] created = open.pop();
                if (table.replaceable(owner, descriptor)) {
                    plan.news.add(created[0]);
                    plan.inits.add(ordinal);
                    found.add(new Site(display, created[1], "new " + dotted(owner) + arguments(descriptor)
                            + " -> " + dotted(table.twin(owner))));
                }
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                if (!isMetafactory(bsm)) {
                    return;
                }
                for (Object a : args) {
                    if (a instanceof Handle && replacement((Handle) a) != null) {
                        Handle h = (Handle) a;
                        found.add(new Site(display, line, dotted(h.getOwner()) + "::new " + arguments(h.getDesc())
                                + " -> " + dotted(table.twin(h.getOwner()))));
                    }
                }
            }

            @Override
            public void visitEnd() {
                for (Deque<int[]> open : pending.values()) {
                    unusual |= !open.isEmpty();
                }
                if (!unusual && !found.isEmpty()) {
                    plans.put(key, plan);
                    sites.addAll(found);
                }
            }
        }
    }

    /** Pass 2: applies the plan, counting candidates exactly as pass 1 did. */
    private final class Rewrite extends ClassVisitor {
        private final Map<String, Plan> plans;

        Rewrite(ClassVisitor next, Map<String, Plan> plans) {
            super(Opcodes.ASM9, next);
            this.plans = plans;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            Plan plan = plans.get(name + descriptor);
            return plan == null ? mv : new MethodRewrite(mv, plan);
        }

        private final class MethodRewrite extends MethodVisitor {
            private final Plan plan;
            private int newOrdinal;
            private int initOrdinal;

            MethodRewrite(MethodVisitor next, Plan plan) {
                super(Opcodes.ASM9, next);
                this.plan = plan;
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                if (opcode == Opcodes.NEW && table.twin(type) != null && plan.news.contains(newOrdinal++)) {
                    type = table.twin(type);
                }
                super.visitTypeInsn(opcode, type);
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                        boolean isInterface) {
                if (opcode == Opcodes.INVOKESPECIAL && CONSTRUCTOR.equals(name) && table.twin(owner) != null
                        && plan.inits.contains(initOrdinal++)) {
                    owner = table.twin(owner);
                }
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                if (isMetafactory(bsm)) {
                    args = args.clone();
                    for (int i = 0; i < args.length; i++) {
                        Handle h = args[i] instanceof Handle ? replacement((Handle) args[i]) : null;
                        if (h != null) {
                            args[i] = h;
                        }
                    }
                }
                super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
            }
        }
    }
}
