// The results map: drawn from the list's data attributes. The list works without it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-use-location]");
  const near = document.getElementById("id_near");
  if (button && near && "geolocation" in navigator) {
    button.hidden = false;
    button.addEventListener("click", () => {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          near.value = `${pos.coords.latitude.toFixed(4)},${pos.coords.longitude.toFixed(4)}`;
          button.disabled = false;
          near.form.requestSubmit();
        },
        () => {
          button.disabled = false;
          near.focus();
        },
        { timeout: 10000 },
      );
    });
  }

  const box = document.getElementById("map");
  if (!box || typeof L === "undefined") return;
  const points = [...document.querySelectorAll(".result[data-lat][data-lng]")]
    .filter((el) => el.dataset.lat && el.dataset.lng)
    .map((el) => ({ lat: Number(el.dataset.lat), lng: Number(el.dataset.lng), name: el.dataset.name, url: el.dataset.url }));
  if (!points.length) return;
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false });
  if (box.dataset.tileUrl) {
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 18, attribution: "Map data © OpenStreetMap contributors" }).addTo(map);
  }
  const bounds = [];
  for (const p of points) {
    const marker = L.marker([p.lat, p.lng], { title: p.name, alt: p.name, keyboard: false });
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    marker.bindPopup(link).addTo(map);
    bounds.push([p.lat, p.lng]);
  }
  if (box.dataset.lat && box.dataset.lng) bounds.push([Number(box.dataset.lat), Number(box.dataset.lng)]);
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
});
