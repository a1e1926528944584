# syntax=docker/dockerfile:1
# intune-exporter container image: build with Maven, cut a small Java runtime with jlink, run it on distroless
# as a non-root user.   docker build -t intune-exporter .
#
# Runtime modules: what `jdeps --print-module-deps` finds in the fat jar, plus the ones jdeps cannot see:
#   jdk.crypto.ec    TLS to Entra ID and Graph (ECDHE handshakes) - without it sign-in fails with handshake_failure
#   jdk.httpserver   the /metrics HTTP server (client_java HTTPServer) and the demo tenant simulator
#   jdk.management   JVM metrics (jvm_*, process_*)
ARG JAVA_MODULES=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# Tests run in CI (mvn verify); the image build only packages.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests -pl src/exporter -am \
 && mkdir -p /out/var/lib/intune-exporter /out/reports \
 && cp target/intune-exporter.jar /out/intune-exporter.jar

FROM eclipse-temurin:17-jdk AS jre
ARG JAVA_MODULES
RUN jlink --add-modules "${JAVA_MODULES}" --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre

FROM gcr.io/distroless/java-base-debian12:nonroot
LABEL org.opencontainers.image.title="intune-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Microsoft Intune (via Microsoft Graph)" \
      org.opencontainers.image.source="https://github.com/intune-exporter/intune-exporter"
COPY --from=jre /jre /opt/java
COPY --from=build /out/intune-exporter.jar /opt/intune-exporter/intune-exporter.jar
# Writable state (e.g. the enrollment collector's watermark), owned by the nonroot user; mount a volume here.
COPY --from=build --chown=65532:65532 /out/var/lib/intune-exporter /var/lib/intune-exporter
# Where `report` writes (docker-compose.yml's intune-report service mounts a named volume here). Docker gives a new named
# volume the ownership of the image's directory at its mount point, and root:root without one: uid 65532 could not write.
COPY --from=build --chown=65532:65532 /out/reports /reports
# The working directory is the state volume: the collectors' relative state-file defaults (intune-exporter-state/...)
# land there, not on the read-only root filesystem (ContainerStateFilesTest).
WORKDIR /var/lib/intune-exporter
ENV JAVA_HOME=/opt/java \
    INTUNE_EXPORTER_WEB_LISTEN_ADDRESS=0.0.0.0:9786 \
    INTUNE_ENROLLMENT_STATE_FILE=/var/lib/intune-exporter/enrollment.json
USER 65532:65532
# Smoke test inside the final runtime: the jlinked modules are enough to load the config, start the demo
# simulator and open the Graph client.
RUN ["/opt/java/bin/java", "-jar", "/opt/intune-exporter/intune-exporter.jar", "--demo", "--config.check"]
EXPOSE 9786
VOLUME ["/var/lib/intune-exporter"]
# Exec form: the JVM is PID 1 and gets SIGTERM. The heap follows the container's memory limit.
ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/intune-exporter/intune-exporter.jar"]
CMD ["--web.listen-address=0.0.0.0:9786"]
