// The councils map: one marker per county, drawn from the list's data attributes.
// The list works without it (and without tiles, the markers still show where each council is).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("map");
  if (!box || typeof L === "undefined") return;
  const points = [...document.querySelectorAll(".council-county[data-lat][data-lng]")]
    .filter((el) => el.dataset.lat && el.dataset.lng)
    .map((el) => ({
      lat: Number(el.dataset.lat),
      lng: Number(el.dataset.lng),
      name: el.dataset.name,
      url: el.dataset.url,
    }));
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
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9 });
});
