# Voxgate container image: builds the distribution tarball, then runs it on a JRE as an unprivileged user.
#   docker build -t voxgate .
#   docker run --network host --env-file /etc/voxgate/voxgate.env voxgate run --public-url https://voice.example.com
# Use host networking for SIP/RTP: RTP needs thousands of UDP ports (--rtp-ports, default 10000-20000) that
# publishing one by one would make slow and fragile, and the addresses in SDP must be the host's own
# (--external-ip when the host is behind NAT). Twilio-only deployments may publish just the HTTP port (-p 8080:8080).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package \
 && mkdir /dist \
 && tar -xzf gateway-app/target/voxgate-*.tar.gz -C /dist --strip-components=1

FROM eclipse-temurin:17-jre
# libopus0: Opus calls run on the system's libopus, allocation-free (without it they fall back to the pure-Java
# Concentus, which allocates per frame). JNA unpacks its dispatch library into the image's /tmp, which allows exec.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopus0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/voxgate --create-home --shell /usr/sbin/nologin voxgate
COPY --from=build /dist /opt/voxgate
USER voxgate
WORKDIR /var/lib/voxgate
# Webhook + media streams, SIP; RTP is the --rtp-ports range (see above).
EXPOSE 8080/tcp 5060/udp 5060/tcp
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/opt/voxgate/bin/voxgate"]
CMD ["run"]
