# Build: the production profile (release with whole-program optimisation, Cargo.toml).
# Run: a small Debian image with only the binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --profile production --locked --bin staffmatch

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 staffmatch
COPY --from=build /src/target/production/staffmatch /usr/local/bin/staffmatch
USER staffmatch
ENV STAFFMATCH_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["staffmatch"]
CMD ["serve"]
